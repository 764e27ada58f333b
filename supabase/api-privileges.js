// @ts-check
// Everything the API roles may touch directly in `public`, which hosted PostgREST serves
// at /rest/v1/<table> and /rest/v1/rpc/<function>: effective privileges (held directly,
// through PUBLIC, or by membership), one line each, in the allow-list file's format.

import { readFile } from 'node:fs/promises';

export const API_ROLES = ['anon', 'authenticated'];
export const ALLOW_LIST = new URL('./api-allow-list.txt', import.meta.url);

const PRIVILEGES = `
with roles(role) as (select unnest($1::text[])),
tables as (
	select c.oid, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
	where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
),
table_privileges as (
	select r.role, p.privilege, 'table' as kind, t.relname as object, t.oid
	from roles r cross join tables t
	cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN']) p(privilege)
	where has_table_privilege(r.role, t.oid, p.privilege)
)
select role, privilege, kind, object from table_privileges
union all
-- a column privilege only where the table-wide one is not held
select r.role, p.privilege, 'column', t.relname || '.' || a.attname
from roles r cross join tables t
join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p(privilege)
where has_column_privilege(r.role, t.oid, a.attnum, p.privilege)
	and not has_table_privilege(r.role, t.oid, p.privilege)
union all
select r.role, p.privilege, 'sequence', c.relname
from roles r cross join pg_class c join pg_namespace n on n.oid = c.relnamespace
cross join unnest(array['USAGE', 'SELECT', 'UPDATE']) p(privilege)
where n.nspname = 'public' and c.relkind = 'S' and has_sequence_privilege(r.role, c.oid, p.privilege)
union all
select r.role, 'EXECUTE', 'function', p.oid::regprocedure::text
from roles r cross join pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public' and has_function_privilege(r.role, p.oid, 'EXECUTE')
union all
select r.role, p.privilege, 'schema', 'public'
from roles r cross join unnest(array['USAGE', 'CREATE']) p(privilege)
where has_schema_privilege(r.role, 'public', p.privilege)
`;

/** @param {{ role: string, privilege: string, kind: string, object: string }} p */
export const privilegeLine = (p) => `${p.role} ${p.privilege} ${p.kind} ${p.object}`;

/**
 * The privileges the API roles hold now, as allow-list lines.
 * @param {import('postgres').Sql | import('postgres').TransactionSql} sql
 */
export async function grantedPrivileges(sql) {
	const rows = await sql.unsafe(PRIVILEGES, [API_ROLES]);
	return rows.map((r) => privilegeLine(/** @type {any} */ (r))).sort();
}

/** The declared lines: blank lines and `#` comments aside. */
export async function declaredPrivileges() {
	const text = await readFile(ALLOW_LIST, 'utf8');
	return text
		.split('\n')
		.map((line) => line.replace(/#.*/, '').trim().replace(/\s+/g, ' '))
		.filter(Boolean);
}
