import { afterAll, describe, expect, it } from 'vitest';
import { superuser } from './helpers';
import { declaredPrivileges, grantedPrivileges } from '../../supabase/api-privileges.js';

/**
 * What hosted PostgREST would serve to each API role, read from the database's effective
 * privileges, against the one declared allow-list (supabase/api-allow-list.txt).
 */

const admin = superuser();
afterAll(() => admin.end());

describe('the API roles’ privileges', () => {
	it('are exactly the declared allow-list', async () => {
		const granted = await grantedPrivileges(admin);
		const declared = await declaredPrivileges();
		expect(new Set(declared).size, 'each line is declared once').toBe(declared.length);
		expect(
			granted.filter((line) => !declared.includes(line)),
			'granted to an API role but not in supabase/api-allow-list.txt'
		).toEqual([]);
		expect(
			declared.filter((line) => !granted.includes(line)),
			'declared in supabase/api-allow-list.txt but not granted'
		).toEqual([]);
		console.log(`API allow-list: ${declared.length} privileges for anon and authenticated`);
	});

	it('give neither role any way to write a table, a column or a sequence', async () => {
		const writes = (await grantedPrivileges(admin)).filter((line) =>
			/ (INSERT|UPDATE|DELETE|TRUNCATE|TRIGGER|MAINTAIN|REFERENCES|CREATE) /.test(line)
		);
		expect(writes).toEqual([]);
	});

	it('are read through PUBLIC and role membership too', async () => {
		const tx = superuser();
		try {
			await tx.begin(async (sql) => {
				await sql`create function public.leak_probe() returns int language sql as $$ select 1 $$`;
				await sql`grant execute on function public.leak_probe() to public`;
				await sql`create table public.leak_probe_table (id int)`;
				await sql`grant select (id) on public.leak_probe_table to authenticated`;
				const lines = await grantedPrivileges(sql);
				expect(lines).toContain('anon EXECUTE function leak_probe()');
				expect(lines).toContain('authenticated EXECUTE function leak_probe()');
				expect(lines).toContain('authenticated SELECT column leak_probe_table.id');
				throw new Error('roll back');
			});
		} catch (error) {
			if ((error as Error).message !== 'roll back') throw error;
		} finally {
			await tx.end();
		}
	});
});
