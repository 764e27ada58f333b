// The email sender, an Edge Function: pg_cron asks for it every minute through pg_net
// (public.request_email_delivery), and it sends what is due through GOV.UK Notify.
// Settings (docs/deploy.md): NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID, EMAIL_SENDER_SECRET; the
// platform provides SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY.
import { deliverEmails } from '../_shared/email-sender.ts';
import { notifyApi } from '../_shared/notify.ts';
import { rpcOutbox } from '../_shared/rpc-outbox.ts';

type Runtime = {
	env: { get(name: string): string | undefined };
	serve(handler: (request: Request) => Promise<Response>): void;
};
const runtime = (globalThis as unknown as { Deno: Runtime }).Deno;

function setting(name: string) {
	const value = runtime.env.get(name);
	if (!value) throw new Error(`${name} is not set for the send-emails function (docs/deploy.md)`);
	return value;
}

/** Compares the whole of both strings, so the time taken says nothing about the secret. */
function sameSecret(given: string, expected: string) {
	let difference = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) {
		difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	}
	return difference === 0;
}

runtime.serve(async (request) => {
	if (request.method !== 'POST') return new Response('Use POST', { status: 405 });
	if (!sameSecret(request.headers.get('x-sender-secret') ?? '', setting('EMAIL_SENDER_SECRET'))) {
		return new Response('Forbidden', { status: 403 });
	}
	const report = await deliverEmails(
		rpcOutbox({ url: setting('SUPABASE_URL'), serviceKey: setting('SUPABASE_SERVICE_ROLE_KEY') }),
		notifyApi({ apiKey: setting('NOTIFY_API_KEY') }),
		{ templateId: setting('NOTIFY_TEMPLATE_ID') }
	);
	console.log(JSON.stringify({ emails: report }));
	return Response.json(report);
});
