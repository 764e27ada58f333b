import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { emptyProject } from './helpers';

/**
 * An open app pulls when Supabase Realtime signals that the change log moved: on a project
 * with the supabase_realtime publication (every hosted project has it, empty), the
 * migrations add change_log to it, once; without it they add nothing.
 */

const connections: postgres.Sql[] = [];
afterAll(() => Promise.all(connections.map((c) => c.end())));

const published = (sql: postgres.Sql) =>
	sql`select tablename from pg_publication_tables
		where pubname = 'supabase_realtime' and schemaname = 'public' order by tablename`;

describe('the Realtime signal', () => {
	it('change_log joins the supabase_realtime publication where a project has it', async () => {
		const sql = await emptyProject('realtime_publication');
		connections.push(sql);
		await sql`create publication supabase_realtime`;
		await applyMigrations(sql);
		expect((await published(sql)).map((r) => r.tablename)).toEqual(['change_log']);
	});

	it('nothing is published where there is no such publication', async () => {
		const sql = await emptyProject('realtime_none');
		connections.push(sql);
		await applyMigrations(sql);
		const [row] = await sql`select count(*)::int as n from pg_publication`;
		expect(row!.n).toBe(0);
	});
});
