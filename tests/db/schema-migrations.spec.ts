import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { catalogDifferences, readCatalog } from './catalog.js';
import { emptyProject, projectUrl } from './helpers';

/**
 * supabase/schemas is the SQL API as a reader sees it, each object once; supabase/migrations
 * is the history `supabase db push` applies. Both start from what a Supabase project has
 * (the bootstrap) on an empty database of their own, and must build the same catalog.
 */

const connections: postgres.Sql[] = [];
afterAll(() => Promise.all(connections.map((c) => c.end())));

/** A new empty project database, closed after the tests. */
async function project(database: string) {
	const sql = await emptyProject(database);
	connections.push(sql);
	return sql;
}

const schemasDir = new URL('../../supabase/schemas/', import.meta.url);

async function applySchemaFiles(sql: postgres.Sql) {
	const files = (await readdir(schemasDir)).filter((f) => f.endsWith('.sql')).sort();
	expect(files.length).toBeGreaterThan(10);
	for (const file of files) {
		await sql.unsafe(await readFile(new URL(file, schemasDir), 'utf8'));
	}
}

let fromSchemas: Map<string, string>;

describe('the declarative schema and the migrations', () => {
	it('build the same catalog, object by object', async () => {
		const schemas = await project('catalog_schemas');
		await applySchemaFiles(schemas);
		fromSchemas = await readCatalog(schemas);

		const migrations = await project('catalog_migrations');
		await applyMigrations(migrations);
		const fromMigrations = await readCatalog(migrations);

		// every kind of object is read: an empty reading would compare nothing
		for (const kind of ['table', 'column', 'constraint', 'index', 'policy', 'function']) {
			expect(
				[...fromSchemas.keys()].filter((k) => k.startsWith(kind + ' ')).length
			).toBeGreaterThan(10);
		}
		for (const kind of ['trigger', 'default privileges', 'type', 'row of a registry']) {
			expect([...fromSchemas.keys()].some((k) => k.startsWith(kind + ' '))).toBe(true);
		}
		const differences = catalogDifferences(fromSchemas, fromMigrations, [
			'supabase/schemas',
			'supabase/migrations'
		]);
		expect(differences, differences.join('\n')).toEqual([]);
		console.log(`schema catalog: ${fromSchemas.size} objects, the same from both`);
	});

	it('tells one changed object apart', async () => {
		const changed = await project('catalog_changed');
		await applySchemaFiles(changed);
		await changed`create or replace function public.uk_time(p_at timestamptz) returns text
			language sql immutable set search_path = '' as $$ select p_at::text $$`;
		await changed`drop policy agencies_read on public.agencies`;
		const differences = catalogDifferences(fromSchemas, await readCatalog(changed), ['a', 'b']);
		expect(differences.map((d) => d.split(':')[0]).sort()).toEqual([
			'function uk_time(timestamp with time zone)',
			'policy agencies.agencies_read'
		]);
	});

	it('are applied by the real Supabase CLI, with its own statement splitter', async () => {
		await project('catalog_cli');
		const run = promisify(execFile);
		const { stdout, stderr } = await run(
			'node_modules/.bin/supabase',
			['db', 'push', '--db-url', `${projectUrl('catalog_cli')}?sslmode=disable`, '--yes'],
			{ timeout: 120_000 }
		);
		expect(stdout + stderr).toContain('Finished supabase db push');
		const cli = postgres(projectUrl('catalog_cli'), { max: 1, onnotice: () => {} });
		connections.push(cli);
		const files = (await readdir(new URL('../../supabase/migrations/', import.meta.url))).filter(
			(f) => f.endsWith('.sql')
		);
		const recorded = await cli`select version from supabase_migrations.schema_migrations`;
		expect(recorded.map((r) => r.version).sort()).toEqual(files.map((f) => f.split('_')[0]).sort());
		const differences = catalogDifferences(fromSchemas, await readCatalog(cli), [
			'supabase/schemas',
			'supabase db push'
		]);
		expect(differences, differences.join('\n')).toEqual([]);
	}, 150_000);
});
