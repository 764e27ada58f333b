import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
	deliverEmails,
	MAX_ATTEMPTS,
	type EmailOutbox
} from '../../supabase/functions/_shared/email-sender.ts';
import { notifyApi, notifyToken, type NotifyApi } from '../../supabase/functions/_shared/notify.ts';
import { rpcOutbox } from '../../supabase/functions/_shared/rpc-outbox.ts';
import { applyMigrations } from '../../supabase/local/database.js';
import { signJwt } from '../../supabase/local/jwt.js';
import { startApi } from '../../supabase/local/server.js';
import { emptyProject } from '../db/helpers';
import {
	API_KEY,
	RATE_LIMITED,
	SEND_LIMIT,
	SERVER_ERROR,
	SERVICE_ID,
	startFakeNotify,
	TEMPLATE_ID,
	TRIAL_MODE
} from './fake-notify';

/**
 * The GOV.UK Notify sender (supabase/functions/_shared), against a local server speaking
 * Notify's documented API and a database of its own, reached as the Edge Function reaches
 * it: the claim and record RPCs through the REST API with the service role's key.
 */

const DATABASE = 'email_sender';
const API_PORT = 54341;
let sql: postgres.Sql;
let api: Awaited<ReturnType<typeof startApi>>;
let notify: Awaited<ReturnType<typeof startFakeNotify>>;
let outbox: EmailOutbox;
let client: NotifyApi;

beforeAll(async () => {
	sql = await emptyProject(DATABASE);
	await applyMigrations(sql);
	api = await startApi({
		port: API_PORT,
		dbPort: inject('dbPort'),
		database: DATABASE,
		mailbox: false
	});
	notify = await startFakeNotify();
	const serviceKey = await signJwt({ iss: 'supabase-demo', role: 'service_role' }, 1983812996);
	outbox = rpcOutbox({ url: api.url, serviceKey });
	client = notifyApi({ apiKey: API_KEY, baseUrl: notify.url });
});

afterAll(async () => {
	await api?.stop();
	await notify?.stop();
	await sql?.end();
});

beforeEach(async () => {
	await sql`delete from public.notifications`;
	notify.sent.length = 0;
});

async function queue(...addresses: string[]) {
	const rows = await sql`
		insert into public.notifications (to_email, kind, subject, body)
		select a, 'booking_confirmed', 'Booking confirmed: Neglect', 'Your place is confirmed.'
		from unnest(${addresses}::text[]) a
		returning id`;
	return rows.map((r) => r.id as string);
}

const row = async (id: string) => {
	const [r] =
		await sql`select status, error, notify_id, attempts, next_attempt_at > now() as waiting
		from public.notifications where id = ${id}`;
	return r!;
};

const send = (options: { outbox?: EmailOutbox; notify?: NotifyApi } = {}) =>
	deliverEmails(options.outbox ?? outbox, options.notify ?? client, { templateId: TEMPLATE_ID });

/** As if the sender that claimed them had died eleven minutes ago. */
const claimsGoStale = () =>
	sql`update public.notifications set claimed_at = now() - interval '11 minutes' where status = 'sending'`;

describe('the GOV.UK Notify sender', () => {
	it('sends each pending email once, referenced by its notification id, and records Notify’s id', async () => {
		const ids = await queue('a@example.org', 'b@example.org', 'c@example.org');
		expect(await send()).toEqual({ sent: 3, recovered: 0, failed: 0, waiting: 0, stopped: null });
		expect(notify.sent.map((s) => s.reference).sort()).toEqual([...ids].sort());
		expect(notify.sent[0]!.personalisation).toEqual({
			subject: 'Booking confirmed: Neglect',
			body: 'Your place is confirmed.'
		});
		for (const id of ids) {
			const sent = notify.sent.find((s) => s.reference === id)!;
			expect(await row(id)).toMatchObject({ status: 'sent', notify_id: sent.id, error: null });
		}
		const before = notify.requests();
		expect(await send()).toMatchObject({ sent: 0 });
		expect(notify.requests()).toBe(before);
	});

	it('records a bad address and trial mode as failures with Notify’s reason, and goes on', async () => {
		const [bad, trial, good] = await queue(
			'not-an-address',
			'outside@example.org',
			'ok@example.org'
		);
		const trialFirst: NotifyApi = {
			...client,
			sendEmail: async (email) => {
				if (email.reference === trial) notify.failNext(TRIAL_MODE);
				return client.sendEmail(email);
			}
		};
		expect(await send({ notify: trialFirst })).toMatchObject({ sent: 1, failed: 2, stopped: null });
		expect(await row(bad!)).toMatchObject({
			status: 'failed',
			error: 'Notify answered 400: ValidationError: email_address Not a valid email address'
		});
		expect((await row(trial!)).error).toMatch(
			/^Notify answered 400: BadRequestError: Can’t send to this recipient when service is in trial mode/
		);
		expect(await row(good!)).toMatchObject({ status: 'sent' });
	});

	for (const [name, fault] of [
		['the rate limit (429)', RATE_LIMITED],
		['the daily limit (429)', SEND_LIMIT],
		['a server error (500)', SERVER_ERROR]
	] as const) {
		it(`stops at ${name}: the emails wait, back off and then go`, async () => {
			const ids = await queue('d@example.org', 'e@example.org');
			notify.failNext(fault);
			const report = await send();
			expect(report).toMatchObject({ sent: 0, waiting: 2, failed: 0 });
			expect(report.stopped).toBe(
				`Notify answered ${fault.status}: ${fault.error}: ${fault.message}`
			);
			for (const id of ids) {
				expect(await row(id)).toMatchObject({
					status: 'pending',
					waiting: true,
					error: report.stopped
				});
			}
			expect(await send()).toMatchObject({ sent: 0 }); // not due yet
			await sql`update public.notifications set next_attempt_at = now()`;
			expect(await send()).toMatchObject({ sent: 2, stopped: null });
			expect(notify.sent).toHaveLength(2);
		});
	}

	it('waits when Notify cannot be reached at all', async () => {
		const [id] = await queue('f@example.org');
		const unreachable = notifyApi({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' });
		const report = await send({ notify: unreachable });
		expect(report).toMatchObject({ sent: 0, waiting: 1 });
		expect(report.stopped).toMatch(/^Notify could not be reached/);
		expect(await row(id!)).toMatchObject({ status: 'pending', waiting: true });
	});

	it('with a wrong key sends nothing and fails nothing: the emails wait with Notify’s reason', async () => {
		const ids = await queue('g@example.org', 'h@example.org');
		const wrongKey = notifyApi({
			apiKey: `hscp_training_test-${SERVICE_ID}-00000000-0000-4000-8000-000000000000`,
			baseUrl: notify.url
		});
		const report = await send({ notify: wrongKey });
		expect(report).toMatchObject({ sent: 0, failed: 0, waiting: 2 });
		expect(report.stopped).toBe('Notify answered 403: AuthError: Invalid token: API key not found');
		for (const id of ids) expect(await row(id)).toMatchObject({ status: 'pending' });
		expect(notify.sent).toHaveLength(0);
		expect(() => notifyApi({ apiKey: 'not-a-key' })).toThrow(/not in the form/);
	});

	it('makes its token as Notify documents: HS256, the service id as iss, iat now', async () => {
		const call = (token: string) =>
			fetch(`${notify.url}/v2/notifications?reference=x`, {
				headers: { authorization: `Bearer ${token}` }
			}).then(async (r) => ({ status: r.status, body: await r.json() }));
		const [, claims] = (await notifyToken(API_KEY)).split('.');
		expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
			iss: SERVICE_ID,
			iat: expect.any(Number)
		});
		expect((await call(await notifyToken(API_KEY))).status).toBe(200);
		expect(await call(await notifyToken(API_KEY, Date.now() - 60_000))).toEqual({
			status: 403,
			body: {
				status_code: 403,
				errors: [
					{
						error: 'AuthError',
						message: 'Error: Your system clock must be accurate to within 30 seconds'
					}
				]
			}
		});
	});

	it('never sends twice when it dies between sending and recording', async () => {
		const [id] = await queue('i@example.org');
		const diesAfterSending: EmailOutbox = {
			...outbox,
			sent: async () => {
				throw new Error('the function was stopped');
			}
		};
		await expect(send({ outbox: diesAfterSending })).rejects.toThrow('the function was stopped');
		expect(await row(id!)).toMatchObject({ status: 'sending' });
		expect(await send()).toMatchObject({ sent: 0, recovered: 0 }); // the claim is still fresh
		await claimsGoStale();
		expect(await send()).toMatchObject({ sent: 0, recovered: 1 });
		expect(notify.sent).toHaveLength(1);
		expect(await row(id!)).toMatchObject({ status: 'sent', notify_id: notify.sent[0]!.id });
	});

	it('sends once an email whose sender died before sending it', async () => {
		const [id] = await queue('j@example.org');
		const diesBeforeSending: NotifyApi = {
			...client,
			sendEmail: async () => {
				throw new Error('the function was stopped');
			}
		};
		await expect(send({ notify: diesBeforeSending })).rejects.toThrow();
		await claimsGoStale();
		expect(await send()).toMatchObject({ sent: 1, recovered: 0 });
		expect(notify.sent.map((s) => s.reference)).toEqual([id]);
	});

	it(`gives an email up after ${MAX_ATTEMPTS} attempts that did not go`, async () => {
		const [id] = await queue('k@example.org');
		await sql`update public.notifications set attempts = ${MAX_ATTEMPTS - 1}`;
		notify.failNext(SERVER_ERROR);
		expect(await send()).toMatchObject({ failed: 1, waiting: 0 });
		expect((await row(id!)).error).toBe(
			`Gave up after ${MAX_ATTEMPTS} attempts. Notify answered 500: Exception: Internal server error`
		);
	});

	it('two senders at once send each email once', async () => {
		const ids = await queue(...Array.from({ length: 30 }, (_, i) => `m${i}@example.org`));
		const reports = await Promise.all([send(), send(), send()]);
		expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(30);
		expect(new Set(notify.sent.map((s) => s.reference))).toEqual(new Set(ids));
		expect(notify.sent).toHaveLength(30);
	});
});
