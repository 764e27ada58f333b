import postgres from 'postgres';
import { inject } from 'vitest';

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
