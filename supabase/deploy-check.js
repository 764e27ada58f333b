// @ts-check
// npm run deploy:check <database URL>
// What a deployment looks like from its database: migrations applied, the extensions the
// scheduled jobs and the email sender need, the jobs pg_cron has and how they last ran, the
// sender's secrets in Vault (names only), the emails waiting or failed, and the API roles'
// privileges against supabase/api-allow-list.txt. Exits 1 if anything needs doing.
import { readdir } from 'node:fs/promises';
import postgres from 'postgres';
import { declaredPrivileges, grantedPrivileges } from './api-privileges.js';

/** @typedef {{ ok: boolean, text: string }} Finding */

/** @param {import('postgres').Sql} sql @returns {Promise<Finding[]>} */
export async function deploymentFindings(sql) {
	/** @type {Finding[]} */
	const findings = [];
	const note = (ok, text) => findings.push({ ok, text });

	const files = (await readdir(new URL('./migrations/', import.meta.url)))
		.filter((f) => f.endsWith('.sql'))
		.map((f) => f.split('_')[0] ?? f);
	const exists = async (/** @type {string} */ relation) =>
		Boolean((await sql`select to_regclass(${relation}) is not null as present`)[0]?.present);
	const applied = new Set(
		(await exists('supabase_migrations.schema_migrations'))
			? (await sql`select version from supabase_migrations.schema_migrations`).map((r) => r.version)
			: []
	);
	const missing = files.filter((v) => !applied.has(v));
	note(
		missing.length === 0,
		missing.length === 0
			? `migrations: all ${files.length} applied`
			: `migrations: ${missing.length} of ${files.length} not applied (${missing.join(', ')}): run npx supabase db push`
	);

	const extensions = await sql`
		select a.name, e.extversion as installed from pg_available_extensions a
		left join pg_extension e on e.extname = a.name
		where a.name in ('pg_cron', 'pg_net', 'supabase_vault')`;
	for (const [name, why] of [
		['pg_cron', 'runs the scheduled jobs'],
		['pg_net', 'lets the send-emails job call the email sender'],
		['supabase_vault', 'keeps the email sender’s address and secret']
	]) {
		const found = extensions.find((e) => e.name === name);
		note(
			Boolean(found?.installed),
			found?.installed
				? `${name} ${found.installed} installed (${why})`
				: `${name} ${found ? 'available but not enabled' : 'not available on this server'}: it ${why}`
		);
	}

	if (!(await exists('public.scheduled_jobs')) || !(await exists('public.app_settings'))) {
		note(false, 'the schema is not there yet: the rest is checked once the migrations are applied');
		return findings;
	}
	const jobs = await sql`select name, schedule, command from public.scheduled_jobs order by name`;
	if (await exists('cron.job')) {
		const scheduled = await sql.unsafe(`
			select j.jobname, j.schedule, j.command,
				(select d.status || ' at ' || d.start_time::text || coalesce(': ' || left(d.return_message, 120), '')
				 from cron.job_run_details d where d.jobid = j.jobid order by d.start_time desc limit 1) as last_run
			from cron.job j where j.jobname like 'hscp-%'`);
		for (const job of jobs) {
			const found = scheduled.find((s) => s.jobname === `hscp-${job.name}`);
			const same = found && found.schedule === job.schedule && found.command === job.command;
			note(
				Boolean(same),
				!found
					? `job ${job.name}: not scheduled: run select public.schedule_jobs()`
					: !same
						? `job ${job.name}: pg_cron has "${found.schedule}" ${found.command}, the list "${job.schedule}" ${job.command}: run select public.schedule_jobs()`
						: `job ${job.name} (${job.schedule}): last run ${found.last_run ?? 'not yet'}`
			);
		}
	} else {
		note(
			false,
			`jobs: pg_cron has none of the ${jobs.length} scheduled jobs (${jobs.map((j) => j.name).join(', ')})`
		);
	}

	if (
		(await sql`select to_regclass('vault.decrypted_secrets') is not null as present`)[0]?.present
	) {
		const secrets = (
			await sql.unsafe(
				`select name from vault.secrets where name in ('email_sender_url', 'email_sender_secret')`
			)
		).map((r) => r.name);
		for (const name of ['email_sender_url', 'email_sender_secret']) {
			note(
				secrets.includes(name),
				`Vault secret ${name}: ${secrets.includes(name) ? 'present' : 'missing'}`
			);
		}
	}

	const [settings] = await sql`select app_url from public.app_settings`;
	const appUrl = String(settings?.app_url ?? '');
	note(
		appUrl.startsWith('https://'),
		appUrl.startsWith('https://')
			? `emails link to ${appUrl}`
			: `emails link to ${appUrl || 'nowhere'}: set the app's address, update public.app_settings set app_url = 'https://…'`
	);

	const [emails] = await sql`
		select count(*) filter (where status = 'pending')::int as pending,
			count(*) filter (where status = 'pending' and error is not null)::int as waiting,
			count(*) filter (where status = 'sending')::int as sending,
			count(*) filter (where status = 'failed')::int as failed,
			count(*) filter (where status = 'sent')::int as sent,
			extract(epoch from now() - min(created_at) filter (where status = 'pending'))::int as oldest,
			(array_agg(error order by created_at desc) filter (where status = 'pending' and error is not null))[1] as last_wait
		from public.notifications`;
	const e = /** @type {Record<string, any>} */ (emails);
	note(
		!(e.pending > 0 && e.oldest > 15 * 60),
		`emails: ${e.sent} sent, ${e.pending} pending${e.pending ? ` (oldest ${Math.round(e.oldest / 60)} min)` : ''}, ${e.sending} being sent, ${e.failed} failed`
	);
	if (e.waiting > 0) note(false, `emails: ${e.waiting} waiting after an error: ${e.last_wait}`);
	if (e.failed > 0) {
		const reasons = await sql`
			select error, count(*)::int as n from public.notifications where status = 'failed'
			group by error order by n desc limit 5`;
		for (const r of reasons) note(false, `emails failed (${r.n}): ${r.error}`);
	}

	const granted = await grantedPrivileges(sql);
	const declared = await declaredPrivileges();
	const extra = granted.filter((line) => !declared.includes(line));
	note(
		extra.length === 0,
		extra.length === 0
			? `API privileges: ${granted.length}, all in supabase/api-allow-list.txt`
			: `API privileges not in supabase/api-allow-list.txt: ${extra.join('; ')}`
	);
	return findings;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
	const url = process.argv[2];
	if (!url) {
		console.error(
			'Usage: npm run deploy:check <database URL> (Supabase: Connect → Session pooler)'
		);
		process.exit(2);
	}
	const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 15 });
	try {
		const findings = await deploymentFindings(sql);
		for (const f of findings) console.log(`${f.ok ? '✓' : '✗'} ${f.text}`);
		const problems = findings.filter((f) => !f.ok).length;
		console.log(problems ? `${problems} to look at` : 'Nothing to do');
		process.exitCode = problems ? 1 : 0;
	} catch (error) {
		console.error(
			`Could not read the deployment: ${error instanceof Error ? error.message : error}`
		);
		process.exitCode = 2;
	} finally {
		await sql.end();
	}
}
