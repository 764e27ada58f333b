// @ts-check
// POST /rest/v1/rpc/<fn> with PostgREST semantics: the role and claims come from the JWT,
// the call runs in one transaction after `set local role` and `request.jwt.claims`, named
// arguments are matched to the function's parameters, and errors come back in PostgREST's
// shape and status codes.
import { verifyJwt } from './jwt.js';
import { inTransaction } from './transaction.js';
import {
	BodyTooLarge,
	bearerToken,
	readBody,
	sendJson,
	sendPostgrestError,
	sendTooLarge
} from './http.js';

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

/** PostgREST's mapping from SQLSTATE to HTTP status. @param {string} code @param {string} role */
export function httpStatusFor(code, role) {
	if (code === '42501') return role === 'anon' ? 401 : 403;
	if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
	/** @type {Record<string, number>} */
	const exact = { 23503: 409, 23505: 409, 25006: 405, P0001: 400, 42883: 404, '42P01': 404 };
	if (exact[code]) return exact[code];
	/** @type {Record<string, number>} */
	const byClass = {
		'08': 503,
		'09': 500,
		'0L': 403,
		'0P': 403,
		25: 500,
		28: 403,
		'2D': 500,
		38: 500,
		39: 500,
		'3B': 500,
		40: 500,
		53: 503,
		54: 500,
		55: 500,
		57: 500,
		58: 500,
		F0: 500,
		HV: 500,
		P0: 500,
		XX: 500
	};
	return byClass[code.slice(0, 2)] ?? 400;
}

/**
 * @param {import('postgres').Sql} sql a pool connected as the authenticator role
 * @param {import('./http.js').Request} req
 * @param {import('./http.js').Response} res
 * @param {string} fnName
 */
export async function handleRpc(sql, req, res, fnName) {
	const claims = await authenticate(req, res);
	if (!claims) return;
	const role = String(claims.role);

	if (req.method !== 'POST') {
		return sendPostgrestError(res, 405, {
			code: 'PGRST101',
			message: 'Only POST is supported for function calls here'
		});
	}
	let args;
	try {
		const text = await readBody(req);
		args = text.trim() === '' ? {} : JSON.parse(text);
	} catch (error) {
		if (error instanceof BodyTooLarge) return sendTooLarge(res);
		return sendPostgrestError(res, 400, {
			code: 'PGRST102',
			message: 'Empty or invalid json',
			details: 'The request body is not valid JSON'
		});
	}
	if (args === null || typeof args !== 'object' || Array.isArray(args)) {
		return sendPostgrestError(res, 400, {
			code: 'PGRST102',
			message: 'Empty or invalid json',
			details: 'Function arguments must be a JSON object of named parameters'
		});
	}

	const fn = await findFunction(sql, fnName, Object.keys(args));
	if (!fn) {
		return sendPostgrestError(res, 404, {
			code: 'PGRST202',
			message: `Could not find the function public.${fnName}(${Object.keys(args).sort().join(', ')}) in the schema cache`,
			details: 'Searched for the function public.' + fnName + ' with the given named arguments',
			hint: null
		});
	}

	const params = fn.params.filter((p) => p.name in args);
	// Values travel as text and are cast in SQL, as PostgREST does, so a JSON argument is
	// never encoded twice and a wrong type fails with PostgreSQL's own 22P02 error.
	const call = `public.${quoteIdent(fn.name)}(${params
		.map((p, i) => `${quoteIdent(p.name)} => ${castParam(i + 1, p.type, args[p.name])}`)
		.join(', ')})`;
	const query = fn.returnsSet
		? `select coalesce(jsonb_agg(t), '[]'::jsonb) as result from ${call} t`
		: `select to_jsonb(${call}) as result`;
	const values = params.map((p) => toParam(args[p.name]));

	try {
		const result = await inTransaction(sql, async (tx) => {
			await tx.unsafe(`set local role ${role}`);
			await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
				set_config('request.method', 'POST', true),
				set_config('request.path', ${'/rpc/' + fnName}, true)`;
			const [row] = await tx.unsafe(query, values);
			return row?.result;
		});
		if (fn.returnsVoid) {
			res.writeHead(204);
			return res.end();
		}
		sendJson(res, 200, result ?? null);
	} catch (error) {
		const e = /** @type {any} */ (error);
		if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) throw error;
		sendPostgrestError(res, httpStatusFor(e.code, role), {
			code: e.code,
			message: e.message,
			details: e.detail ?? null,
			hint: e.hint ?? null
		});
	}
}

/**
 * Verifies the JWT and answers 401 itself when it is missing or invalid.
 * @param {import('./http.js').Request} req @param {import('./http.js').Response} res
 */
export async function authenticate(req, res) {
	const token = bearerToken(req);
	if (!token) {
		sendJson(res, 401, {
			message: 'No API key found in request',
			hint: 'No `apikey` request header or url param was found.'
		});
		return null;
	}
	const verified = await verifyJwt(token);
	if (!verified.ok) {
		sendPostgrestError(res, 401, {
			code: verified.expired ? 'PGRST303' : 'PGRST301',
			message: verified.reason
		});
		return null;
	}
	if (!API_ROLES.has(String(verified.claims.role))) {
		sendPostgrestError(res, 401, {
			code: 'PGRST301',
			message: 'JWT role claim must be anon, authenticated or service_role'
		});
		return null;
	}
	return verified.claims;
}

/** @param {number} n @param {string} type @param {unknown} value */
function castParam(n, type, value) {
	if (type.endsWith('[]') && Array.isArray(value)) {
		return `array(select jsonb_array_elements_text($${n}::text::jsonb))::${type}`;
	}
	return `$${n}::text::${type}`;
}

/** @param {unknown} value */
function toParam(value) {
	if (value === null || value === undefined) return null;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** @param {string} name */
function quoteIdent(name) {
	return '"' + name.replaceAll('"', '""') + '"';
}

/**
 * The overload of public.<name> whose parameters accept exactly the given named
 * arguments: every argument known, every parameter without a default supplied.
 * @param {import('postgres').Sql} sql @param {string} name @param {string[]} argNames
 */
async function findFunction(sql, name, argNames) {
	const rows = await sql`
		select p.proname as name, p.proretset as returns_set,
			p.prorettype = 'void'::regtype as returns_void, p.pronargdefaults as defaults,
			coalesce(p.proargnames[1:p.pronargs], '{}') as arg_names,
			array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types
		from pg_proc p
		where p.pronamespace = 'public'::regnamespace and p.proname = ${name} and p.prokind = 'f'`;
	for (const row of rows) {
		const names = /** @type {string[]} */ (row.arg_names);
		const types = /** @type {string[]} */ (row.arg_types);
		const required = names.slice(0, names.length - row.defaults);
		if (argNames.every((a) => names.includes(a)) && required.every((r) => argNames.includes(r))) {
			return {
				name: String(row.name),
				returnsSet: Boolean(row.returns_set),
				returnsVoid: Boolean(row.returns_void),
				params: names.map((n, i) => ({ name: n, type: types[i] ?? 'text' }))
			};
		}
	}
	return null;
}
