// @ts-check
// `npm run dev`: the local Supabase (database, API, mailbox) together with Vite.
import { spawn } from 'node:child_process';
import { startLocalSupabase } from './start.js';

const local = await startLocalSupabase({ fresh: process.argv.includes('--fresh') });
const vite = spawn(
	'npx',
	['vite', 'dev', ...process.argv.slice(2).filter((a) => a !== '--fresh')],
	{
		stdio: 'inherit'
	}
);

let stopping = false;
const stop = async (/** @type {number} */ code) => {
	if (stopping) return;
	stopping = true;
	vite.kill('SIGTERM');
	await local.stop();
	process.exit(code);
};
vite.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
