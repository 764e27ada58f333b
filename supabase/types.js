// @ts-check
// The TypeScript types of the SQL API, src/lib/supabase/database.types.ts, generated from the
// migrations by @supabase/postgres-meta: the generator `supabase gen types typescript` runs
// in its container, run here without Docker. `npm run types` writes the file; the test
// tests/db/database-types.spec.ts fails while it is stale.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TYPES_FILE = join(root, 'src/lib/supabase/database.types.ts');
const GENERATOR = join(root, 'node_modules/@supabase/postgres-meta/dist/server/server.js');

/** The generator's output for the public schema of the database at `url`. @param {string} url */
export function generateTypes(url) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [GENERATOR], {
			env: {
				...process.env,
				PG_META_DB_URL: url,
				PG_META_GENERATE_TYPES: 'typescript',
				PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: 'public',
				PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'false'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0 && out.includes('export type Database')
				? resolve(out)
				: reject(new Error(`postgres-meta could not generate the types (exit ${code}): ${err}`))
		);
	});
}

/** A free TCP port on this machine. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** Writes the types from a scratch database with every migration applied. */
async function main() {
	const { startDatabase } = await import('./local/database.js');
	const dataDir = await mkdtemp(join(tmpdir(), 'hscp-types-'));
	const port = /** @type {number} */ (await freePort());
	const database = await startDatabase({ port, dataDir, fresh: true, demo: false });
	try {
		await writeFile(TYPES_FILE, await generateTypes(database.url));
		console.log(`wrote ${TYPES_FILE}`);
	} finally {
		await database.stop();
		await rm(dataDir, { recursive: true, force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
