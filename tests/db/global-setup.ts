import type { TestProject } from 'vitest/node';
import { startDatabase } from '../../supabase/local/database.js';
import { startApi } from '../../supabase/local/server.js';

// The db and api suites share one fresh embedded PostgreSQL (migrated and seeded) and one
// local API, on their own ports so a running `npm run dev` is never touched.
const DB_PORT = 54332;
const API_PORT = 54331;

declare module 'vitest' {
	export interface ProvidedContext {
		dbPort: number;
		apiUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const db = await startDatabase({
		port: DB_PORT,
		dataDir: 'supabase/.local/pgdata-test',
		fresh: true
	});
	const api = await startApi({ port: API_PORT, dbPort: DB_PORT, accessTokenSeconds: 3600 });
	project.provide('dbPort', DB_PORT);
	project.provide('apiUrl', api.url);
	return async () => {
		await api.stop();
		await db.stop();
	};
}
