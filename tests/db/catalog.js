// @ts-check
// What a database's schema is, read from PostgreSQL's catalogs (the embedded server ships no
// pg_dump): one entry per object, keyed by kind and name, so two databases can be compared
// object by object and any difference named.

/** @typedef {import('postgres').Sql} Sql */

/**
 * Privileges as sorted "grantee:PRIVILEGE" strings; a null ACL is the object's default.
 * @param {string} expr @param {string} kind @param {string} owner
 */
const acl = (expr, kind, owner) => `(
	select coalesce(string_agg(
		coalesce(nullif(g.rolname, ''), 'PUBLIC') || ':' || a.privilege_type || case when a.is_grantable then '*' else '' end,
		' ' order by coalesce(g.rolname, ''), a.privilege_type), '')
	from aclexplode(coalesce(${expr}, acldefault('${kind}', ${owner}))) a
	left join pg_roles g on g.oid = a.grantee
)`;

/** The objects the project defines: everything in `public`, plus what it adds elsewhere. */
const QUERIES = {
	extension: `select e.extname as name, n.nspname as def from pg_extension e
		join pg_namespace n on n.oid = e.extnamespace`,
	schema: `select n.nspname as name, ${acl('n.nspacl', 'n', 'n.nspowner')} as def
		from pg_namespace n where n.nspname = 'public'`,
	type: `select t.typname as name, t.typtype::text || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder)
			from pg_enum e where e.enumtypid = t.oid), '') as def
		from pg_type t join pg_namespace n on n.oid = t.typnamespace
		where n.nspname = 'public' and t.typtype in ('e', 'd')`,
	table: `select c.relname as name, concat_ws(' | ', c.relkind::text,
			'rls=' || c.relrowsecurity, 'force=' || c.relforcerowsecurity,
			${acl('c.relacl', 'r', 'c.relowner')}) as def
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
	column: `select c.relname || '.' || a.attname as name, concat_ws(' | ', a.attnum::text,
			format_type(a.atttypid, a.atttypmod), case when a.attnotnull then 'not null' end,
			pg_get_expr(d.adbin, d.adrelid), nullif(a.attidentity::text, ''), nullif(a.attgenerated::text, ''),
			case when a.attacl is not null then ${acl('a.attacl', 'c', 'c.relowner')} end) as def
		from pg_attribute a join pg_class c on c.oid = a.attrelid
		join pg_namespace n on n.oid = c.relnamespace
		left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
			and a.attnum > 0 and not a.attisdropped`,
	view: `select c.relname as name, pg_get_viewdef(c.oid) as def from pg_class c
		join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('v', 'm')`,
	constraint: `select c.relname || '.' || k.conname as name, pg_get_constraintdef(k.oid) as def
		from pg_constraint k join pg_class c on c.oid = k.conrelid
		join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
	index: `select i.relname as name, pg_get_indexdef(i.oid) as def from pg_index x
		join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace
		where n.nspname = 'public'`,
	sequence: `select c.relname as name, concat_ws(' | ', format_type(s.seqtypid, null), s.seqstart::text,
			s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle::text,
			${acl('c.relacl', 's', 'c.relowner')}) as def
		from pg_sequence s join pg_class c on c.oid = s.seqrelid
		join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
	policy: `select tablename || '.' || policyname as name, concat_ws(' | ', permissive, cmd,
			array_to_string(roles, ','), qual, with_check) as def
		from pg_policies where schemaname = 'public'`,
	function: `select p.oid::regprocedure::text as name,
			pg_get_functiondef(p.oid) || ' | ' || ${acl('p.proacl', 'f', 'p.proowner')} as def
		from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`,
	trigger: `select c.relname || '.' || t.tgname as name, pg_get_triggerdef(t.oid) || ' | ' || t.tgenabled::text as def
		from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
		where not t.tgisinternal and (n.nspname = 'public' or t.tgfoid in (
			select p.oid from pg_proc p join pg_namespace pn on pn.oid = p.pronamespace where pn.nspname = 'public'))`,
	'default privileges': `select coalesce(r.rolname, '') || ' in ' || coalesce(n.nspname, 'all schemas') || ' on '
			|| d.defaclobjtype::text as name,
			${acl('d.defaclacl', 'r', 'd.defaclrole')} as def
		from pg_default_acl d join pg_roles r on r.oid = d.defaclrole
		left join pg_namespace n on n.oid = d.defaclnamespace`,
	'row of a registry': `select 'sync entity ' || entity as name, row_function::text as def from public.sync_entities
		union all select 'sync mutation ' || name, handler::text from public.sync_mutation_handlers
		union all select 'scheduled job ' || name, schedule || ' | ' || command from public.scheduled_jobs`
};

/**
 * Every object as "kind name" → its definition.
 * @param {Sql} sql
 * @returns {Promise<Map<string, string>>}
 */
export async function readCatalog(sql) {
	/** @type {Map<string, string>} */
	const objects = new Map();
	const registries = await sql`select to_regclass('public.sync_entities') is not null as present`;
	for (const [kind, query] of Object.entries(QUERIES)) {
		if (kind === 'row of a registry' && !registries[0]?.present) continue;
		for (const row of await sql.unsafe(query)) objects.set(`${kind} ${row.name}`, String(row.def));
	}
	return objects;
}

/**
 * The objects that are missing from one side or defined differently, each named.
 * @param {Map<string, string>} left @param {Map<string, string>} right
 * @param {[string, string]} names what each side is, for the messages
 */
export function catalogDifferences(left, right, [leftName, rightName]) {
	const differences = [];
	for (const [key, def] of left) {
		if (!right.has(key)) differences.push(`${key}: only in ${leftName}`);
		else if (right.get(key) !== def)
			differences.push(`${key}: differs\n  ${leftName}: ${def}\n  ${rightName}: ${right.get(key)}`);
	}
	for (const key of right.keys()) {
		if (!left.has(key)) differences.push(`${key}: only in ${rightName}`);
	}
	return differences;
}
