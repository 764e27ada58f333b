// @ts-check
// Small helpers shared by the local API's handlers.

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** @param {Response} res @param {number} status @param {unknown} body */
export function sendJson(res, status, body) {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(text);
}

/** PostgREST's error body. @param {Response} res @param {number} status */
export function sendPostgrestError(
	res,
	status,
	/** @type {{code: string, message: string, details?: string | null, hint?: string | null}} */ e
) {
	sendJson(res, status, {
		code: e.code,
		details: e.details ?? null,
		hint: e.hint ?? null,
		message: e.message
	});
}

/** Reads the body as text, refusing bodies over the limit. @param {Request} req */
export function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('body too large'));
				req.destroy();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** The bearer token, or the apikey header as Supabase's gateway falls back to. @param {Request} req */
export function bearerToken(req) {
	const auth = req.headers.authorization;
	if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
	const apikey = req.headers.apikey;
	return typeof apikey === 'string' && apikey ? apikey : null;
}

/** @param {Request} req @param {Response} res */
export function allowCors(req, res) {
	res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
	res.setHeader('vary', 'Origin');
	res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
	res.setHeader(
		'access-control-allow-headers',
		req.headers['access-control-request-headers'] ??
			'authorization, apikey, content-type, x-client-info, content-profile, accept-profile, prefer'
	);
	res.setHeader('access-control-max-age', '600');
}
