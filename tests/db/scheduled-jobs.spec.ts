import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { scheduledJobs, startScheduler } from '../../supabase/local/scheduler.js';
import { emptyProject, PG_CRON_INTERFACE, superuser } from './helpers';

/**
 * One list of scheduled jobs (public.scheduled_jobs): pg_cron gets it from schedule_jobs()
 * on Supabase, the local stand-in runs it itself. Both must schedule the same jobs.
 */

const admin = superuser();
const connections: postgres.Sql[] = [];
afterAll(async () => {
	await Promise.all(connections.map((c) => c.end()));
	await admin.end();
});

/** A project with pg_cron's interface, migrated, with one stale job of ours and another app's. */
async function projectWithPgCron() {
	const sql = await emptyProject('scheduled_jobs_cron');
	connections.push(sql);
	await sql.unsafe(PG_CRON_INTERFACE);
	await sql`insert into cron.job (jobname, schedule, command) values
		('hscp-a-job-no-longer-listed', '0 0 * * *', 'select 1'),
		('another-apps-job', '0 0 * * *', 'select 2')`;
	await applyMigrations(sql);
	return sql;
}

describe('the scheduled jobs', () => {
	it('each call an existing function on a schedule the stand-in can read', async () => {
		const jobs = await scheduledJobs(admin);
		expect(jobs.map((j) => j.name)).toEqual([
			'evaluation-reminders',
			'expire-offers',
			'followup-requests',
			'prune-sync-ledger',
			'refresher-reminders',
			'retention',
			'send-emails',
			'session-reminders'
		]);
		for (const job of jobs) {
			const fn = /^select (public\.[a-z_]+)\(\)$/.exec(job.command)?.[1];
			expect(fn, job.command).toBeDefined();
			const [found] = await admin`select to_regproc(${fn!}) is not null as found`;
			expect(found!.found, `${job.name} calls ${fn}`).toBe(true);
		}
	});

	it('are scheduled alike by pg_cron on Supabase and by the local stand-in', async () => {
		const cron = await projectWithPgCron();
		const [again] = await cron`select public.schedule_jobs() as said`;
		expect(again!.said).toBe('8 jobs scheduled with pg_cron');
		const byPgCron = await cron`select jobname, schedule, command from cron.job order by jobname`;

		const local = await startScheduler(admin);
		local.stop();
		const byStandIn = local.scheduled.map((j) => ({
			jobname: `hscp-${j.name}`,
			schedule: j.schedule,
			command: j.command
		}));
		expect(byPgCron.filter((j) => j.jobname.startsWith('hscp-'))).toEqual(byStandIn);
		// pg_cron's other jobs stay; one the list no longer has is unscheduled
		expect(byPgCron.map((j) => j.jobname)).toContain('another-apps-job');
		expect(byPgCron.map((j) => j.jobname)).not.toContain('hscp-a-job-no-longer-listed');
	});

	it('schedule nothing, and say so, where pg_cron is not available', async () => {
		const [said] = await admin`select public.schedule_jobs() as said`;
		expect(said!.said).toMatch(/^pg_cron is not available here/);
	});
});
