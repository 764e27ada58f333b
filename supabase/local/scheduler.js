// @ts-check
// The scheduled jobs of production, run here: pg_cron runs public.scheduled_jobs on
// Supabase; the embedded PostgreSQL has no pg_cron, so the stand-in reads the same rows and
// runs each on its cron schedule (UTC), one run at a time per job.
import { Cron } from 'croner';

/** @typedef {{ name: string, schedule: string, command: string }} ScheduledJob */

/** The list, as pg_cron gets it. @param {import('postgres').Sql} sql @returns {Promise<ScheduledJob[]>} */
export async function scheduledJobs(sql) {
	const rows = await sql`select name, schedule, command from public.scheduled_jobs order by name`;
	return rows.map((r) => ({ name: r.name, schedule: r.schedule, command: r.command }));
}

/**
 * Starts every job on its schedule.
 * @param {import('postgres').Sql} sql @param {(line: string) => void} [log]
 */
export async function startScheduler(sql, log = (line) => console.error(line)) {
	const jobs = await scheduledJobs(sql);
	const timers = jobs.map(
		(job) =>
			new Cron(job.schedule, { name: job.name, timezone: 'UTC', protect: true }, async () => {
				try {
					await sql.unsafe(job.command);
				} catch (error) {
					log(`[scheduler] ${job.name}: ${error instanceof Error ? error.message : error}`);
				}
			})
	);
	return {
		/** What is scheduled: each job's name, pattern and command. */
		scheduled: timers.map((timer, i) => ({
			name: String(timer.name),
			schedule: String(timer.getPattern()),
			command: jobs[i]?.command ?? ''
		})),
		stop: () => timers.forEach((timer) => timer.stop())
	};
}
