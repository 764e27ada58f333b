// @ts-check
// Starts the local Supabase: PostgreSQL on 54322 (migrated and seeded) and the API on 54321.
//   node supabase/local/start.js [--fresh]
// --fresh starts from an empty database (as `supabase db reset` does); tests use it.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDatabase } from './database.js';
import { startApi } from './server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startLocalSupabase({ fresh = false } = {}) {
	const dbPort = Number(process.env.LOCAL_DB_PORT ?? 54322);
	const apiPort = Number(process.env.LOCAL_API_PORT ?? 54321);
	const dataDir =
		process.env.LOCAL_DB_DIR ?? join(root, 'supabase', '.local', fresh ? 'pgdata-fresh' : 'pgdata');
	const db = await startDatabase({
		port: dbPort,
		dataDir,
		fresh,
		log: (l) => console.log(`[db] ${l}`)
	});
	const api = await startApi({
		port: apiPort,
		dbPort,
		accessTokenSeconds: Number(process.env.LOCAL_JWT_EXPIRY ?? 3600)
	});
	console.log(`[local supabase] API ${api.url} · database ${db.url} · mailbox ${api.url}/mailbox`);
	return {
		async stop() {
			await api.stop();
			await db.stop();
		}
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const local = await startLocalSupabase({ fresh: process.argv.includes('--fresh') });
	const stop = async () => {
		await local.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
