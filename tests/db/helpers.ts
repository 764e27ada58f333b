import postgres from 'postgres';
import { inject } from 'vitest';
import { bootstrap } from '../../supabase/local/database.js';

export type Sql = postgres.Sql;
export type Actor = { role: 'anon' } | { role: 'authenticated'; userId: string };
export const anon: Actor = { role: 'anon' };
export const user = (userId: string): Actor => ({ role: 'authenticated', userId });

/** A superuser connection, for arranging data and checking what was written. */
export function superuser(): Sql {
	return postgres(`postgres://postgres:postgres@127.0.0.1:${inject('dbPort')}/postgres`, {
		max: 5,
		onnotice: () => {}
	});
}

/** A connection as PostgREST's authenticator, which switches to the API roles. */
export function authenticator(): Sql {
	return postgres(`postgres://authenticator:postgres@127.0.0.1:${inject('dbPort')}/postgres`, {
		max: 10,
		onnotice: () => {}
	});
}

/**
 * Runs queries as an API role with its JWT claims, exactly as PostgREST does: one
 * transaction, `set local role`, `request.jwt.claims`. Never as a superuser.
 */
export function as<T>(sql: Sql, actor: Actor, work: (tx: postgres.TransactionSql) => Promise<T>) {
	return sql.begin(async (tx) => {
		await tx.unsafe(`set local role ${actor.role}`);
		const claims =
			actor.role === 'anon' ? { role: 'anon' } : { role: 'authenticated', sub: actor.userId };
		await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
		return work(tx);
	}) as Promise<T>;
}

/** A new account (its profile is created by the auth.users trigger). */
export async function createUser(sql: Sql, label: string) {
	const email = `${label}.${crypto.randomUUID().slice(0, 8)}@db.hscp.example`;
	const [row] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	return { id: row!.id as string, email };
}

export async function anyAgencyId(sql: Sql) {
	const [row] = await sql`select id from public.agencies order by name limit 1`;
	return row!.id as string;
}

export function mutation(name: string, args: Record<string, unknown>, id = crypto.randomUUID()) {
	return { id, seq: 1, name, args };
}

/**
 * A new empty database on the test server holding only what a Supabase project starts with
 * (the bootstrap), for tests that apply the schema or the migrations themselves.
 */
export async function emptyProject(database: string) {
	const admin = superuser();
	try {
		await admin.unsafe(`drop database if exists ${database} with (force)`);
		await admin.unsafe(`create database ${database}`);
	} finally {
		await admin.end();
	}
	const sql = postgres(projectUrl(database), { max: 2, onnotice: () => {} });
	await bootstrap(sql);
	return sql;
}

export const projectUrl = (database: string) =>
	`postgres://postgres:postgres@127.0.0.1:${inject('dbPort')}/${database}`;

/** pg_cron's interface as the extension creates it, with run history; jobs are recorded, not run. */
export const PG_CRON_INTERFACE = `
	create schema cron;
	create table cron.job (jobid bigserial primary key, jobname text unique, schedule text not null,
		command text not null);
	create table cron.job_run_details (jobid bigint, status text, start_time timestamptz, return_message text);
	create function cron.schedule(job_name text, schedule text, command text) returns bigint
		language sql as $$
			insert into cron.job (jobname, schedule, command) values (job_name, schedule, command)
			on conflict (jobname) do update set schedule = excluded.schedule, command = excluded.command
			returning jobid $$;
	create function cron.unschedule(job_name text) returns boolean
		language sql as $$ delete from cron.job where jobname = job_name returning true $$;`;
