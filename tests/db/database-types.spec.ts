import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { TYPES_FILE, generateTypes } from '../../supabase/types.js';
import { emptyProject, projectUrl } from './helpers';

const connections: postgres.Sql[] = [];
afterAll(() => Promise.all(connections.map((c) => c.end())));

describe('the generated database types', () => {
	it('src/lib/supabase/database.types.ts is what postgres-meta makes of the migrations (else: npm run types)', async () => {
		const sql = await emptyProject('database_types');
		connections.push(sql);
		await applyMigrations(sql);
		const generated = await generateTypes(projectUrl('database_types'));
		const committed = await readFile(TYPES_FILE, 'utf8').catch(() => '');
		expect(committed === generated, 'the committed types are stale: run npm run types').toBe(true);
	}, 120_000);
});
