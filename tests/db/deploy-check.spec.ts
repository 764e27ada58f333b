import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { emptyProject, PG_CRON_INTERFACE, projectUrl } from './helpers';

/** `npm run deploy:check <database URL>`, against the local database and a deployed-like one. */

const connections: postgres.Sql[] = [];
afterAll(() => Promise.all(connections.map((c) => c.end())));

async function check(database: string) {
	try {
		const { stdout } = await promisify(execFile)('node', [
			'supabase/deploy-check.js',
			projectUrl(database)
		]);
		return { code: 0, lines: stdout.trim().split('\n') };
	} catch (error) {
		const e = error as { code: number; stdout: string };
		return { code: e.code, lines: e.stdout.trim().split('\n') };
	}
}

describe('deploy:check', () => {
	it('reports on the local database what a partnership would need to do', async () => {
		const { code, lines } = await check('postgres');
		expect(code).toBe(1);
		const migrations = (await readdir('supabase/migrations')).filter((f) => f.endsWith('.sql'));
		expect(lines).toContain(`✓ migrations: all ${migrations.length} applied`);
		expect(lines).toContain(
			"✗ emails link to http://localhost:5173: set the app's address, update public.app_settings set app_url = 'https://…'"
		);
		expect(lines).toContain('✗ pg_cron not available on this server: it runs the scheduled jobs');
		expect(lines).toContain(
			'✗ pg_net not available on this server: it lets the send-emails job call the email sender'
		);
		expect(lines).toContainEqual(
			expect.stringMatching(/^✗ jobs: pg_cron has none of the 8 scheduled jobs/)
		);
		expect(lines).toContainEqual(
			expect.stringMatching(/^✓ API privileges: \d+, all in supabase\/api-allow-list.txt$/)
		);
		expect(lines).toContainEqual(expect.stringMatching(/^[✓✗] emails: \d+ sent, \d+ pending/));
		expect(lines.at(-1)).toMatch(/^\d+ to look at$/);
	});

	it('on a project with pg_cron and Vault: each job’s last run, the secrets, and the emails stuck', async () => {
		const sql = await emptyProject('deploy_check');
		connections.push(sql);
		await sql.unsafe(PG_CRON_INTERFACE);
		await sql.unsafe(`
			create schema vault;
			create table vault.secrets (name text primary key, secret text);
			create view vault.decrypted_secrets as select name, secret as decrypted_secret from vault.secrets;
			insert into vault.secrets values ('email_sender_url', 'https://example.supabase.co/functions/v1/send-emails');`);
		await applyMigrations(sql);
		await sql`update public.app_settings set app_url = 'https://training.hscp.example'`;
		await sql`insert into cron.job_run_details
			select jobid, 'succeeded', '2026-12-01 09:00:00+00', '1 row' from cron.job where jobname = 'hscp-retention'`;
		await sql`update cron.job set schedule = '0 * * * *' where jobname = 'hscp-expire-offers'`;
		await sql`insert into public.notifications (to_email, kind, subject, body, status, error) values
			('x@example.org', 'reminder', 'Tomorrow', 'A reminder', 'failed',
				'Notify answered 400: ValidationError: email_address Not a valid email address'),
			('y@example.org', 'reminder', 'Tomorrow', 'A reminder', 'pending',
				'Notify answered 403: AuthError: Invalid token: API key not found')`;

		const { code, lines } = await check('deploy_check');
		expect(code).toBe(1);
		expect(lines).toContain(
			'✓ job retention (15 3 * * *): last run succeeded at 2026-12-01 09:00:00+00: 1 row'
		);
		expect(lines).toContain('✓ job send-emails (* * * * *): last run not yet');
		expect(lines).toContainEqual(
			expect.stringMatching(
				/^✗ job expire-offers: pg_cron has "0 \* \* \* \*" .*run select public.schedule_jobs\(\)$/
			)
		);
		expect(lines).toContain('✓ emails link to https://training.hscp.example');
		expect(lines).toContain('✓ Vault secret email_sender_url: present');
		expect(lines).toContain('✗ Vault secret email_sender_secret: missing');
		expect(lines).toContain(
			'✗ emails: 1 waiting after an error: Notify answered 403: AuthError: Invalid token: API key not found'
		);
		expect(lines).toContain(
			'✗ emails failed (1): Notify answered 400: ValidationError: email_address Not a valid email address'
		);
		expect(lines.join('\n')).not.toContain('https://example.supabase.co');
	});
});
