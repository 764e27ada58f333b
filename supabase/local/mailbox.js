// @ts-check
// The local mailbox: every email the stand-in "sends" (sign-in codes, and whatever the
// app queues in public.notifications) lands here and on the console.
import { sendJson } from './http.js';

/** @param {import('postgres').Sql} sql @param {{ to: string, subject: string, body: string }} email */
export async function sendEmail(sql, { to, subject, body }) {
	await sql`insert into local_auth.mailbox (to_email, subject, body) values (${to}, ${subject}, ${body})`;
	console.log(`[mailbox] to ${to}: ${subject}`);
}

/** Delivers queued notifications to the mailbox, as the production sender would. @param {import('postgres').Sql} sql */
export async function deliverNotifications(sql) {
	const sent = await sql`
		with due as (
			select id from public.notifications where status = 'pending'
			order by created_at limit 200 for update skip locked
		)
		update public.notifications n set status = 'sent', sent_at = now()
		from due where n.id = due.id
		returning n.to_email, n.subject, n.body`;
	for (const n of sent) await sendEmail(sql, { to: n.to_email, subject: n.subject, body: n.body });
	return sent.length;
}

/**
 * GET /mailbox (a page) and GET /mailbox/messages?to=… (JSON, newest first).
 * @param {import('postgres').Sql} sql @param {import('./http.js').Response} res @param {string} path @param {URLSearchParams} query
 */
export async function handleMailbox(sql, res, path, query) {
	const to = query.get('to')?.trim().toLowerCase() || null;
	const messages = await sql`
		select id, sent_at, to_email as to, subject, body from local_auth.mailbox
		where ${to}::text is null or to_email = ${to}
		order by id desc limit 100`;
	if (path === '/mailbox/messages') return sendJson(res, 200, messages);
	res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
	res.end(mailboxPage(messages, to));
}

/** @param {string} text */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {readonly Record<string, any>[]} messages @param {string | null} to */
function mailboxPage(messages, to) {
	const items = messages
		.map(
			(m) => `<li><article><h2>${escapeHtml(m.subject)}</h2>
<p class="meta">To ${escapeHtml(m.to)} · <time datetime="${new Date(m.sent_at).toISOString()}">${new Date(m.sent_at).toLocaleString('en-GB', { timeZone: 'Europe/London' })}</time></p>
<pre>${escapeHtml(m.body)}</pre></article></li>`
		)
		.join('\n');
	return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox – HSCP Training</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#0b0c0c}
ul{list-style:none;padding:0}article{border:1px solid #b1b4b6;padding:0 1rem;margin-bottom:1rem}
pre{white-space:pre-wrap;font-family:inherit}.meta{color:#484949}</style></head>
<body><main><h1>Local mailbox</h1>
<p>Emails the local Supabase stand-in has sent${to ? ` to ${escapeHtml(to)}` : ''}, newest first. <a href="">Check for new emails</a></p>
<form method="get"><label for="to">Show emails to</label> <input id="to" name="to" type="email" value="${escapeHtml(to ?? '')}"> <button>Filter</button></form>
${messages.length ? `<ul>${items}</ul>` : '<p>No emails yet.</p>'}
</main></body></html>`;
}
