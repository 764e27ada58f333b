// @ts-check
// The local Supabase API on one port: /rest/v1/rpc/*, /auth/v1/*, and the mailbox.
import { createServer } from 'node:http';
import postgres from 'postgres';
import { handleAuth } from './auth.js';
import { allowCors, sendJson, sendPostgrestError } from './http.js';
import { deliverNotifications, handleMailbox } from './mailbox.js';
import { handleRpc } from './rest.js';
import { startScheduler } from './scheduler.js';

/**
 * `mailbox: false` leaves queued emails to another sender (the GOV.UK Notify sender's tests).
 * @param {{ port: number, dbPort: number, database?: string, mailbox?: boolean, accessTokenSeconds?: number }} options
 */
export async function startApi({
	port,
	dbPort,
	database = 'postgres',
	mailbox = true,
	accessTokenSeconds = 3600
}) {
	const apiUrl = `http://127.0.0.1:${port}`;
	const admin = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/${database}`, {
		max: 4,
		onnotice: () => {}
	});
	// PostgREST connects as `authenticator` and switches to the JWT's role per request.
	const api = postgres(`postgres://authenticator:postgres@127.0.0.1:${dbPort}/${database}`, {
		max: 20,
		onnotice: () => {}
	});
	const auth = { sql: admin, apiUrl, accessTokenSeconds };

	const server = createServer(async (req, res) => {
		allowCors(req, res);
		if (req.method === 'OPTIONS') {
			res.writeHead(204);
			return res.end();
		}
		const url = new URL(req.url ?? '/', apiUrl);
		const path = url.pathname;
		try {
			if (path.startsWith('/rest/v1/rpc/')) {
				return await handleRpc(
					api,
					req,
					res,
					decodeURIComponent(path.slice('/rest/v1/rpc/'.length))
				);
			}
			if (path.startsWith('/rest/v1/')) {
				return sendPostgrestError(res, 404, {
					code: 'PGRST205',
					message: 'Tables are not exposed: the app calls RPC functions only',
					hint: 'Use POST /rest/v1/rpc/<function>'
				});
			}
			if (path.startsWith('/auth/v1/')) {
				return await handleAuth(auth, req, res, path.slice('/auth/v1'.length), url.searchParams);
			}
			if (req.method === 'GET' && (path === '/mailbox' || path === '/mailbox/messages')) {
				return await handleMailbox(admin, res, path, url.searchParams);
			}
			if (path === '/')
				return sendJson(res, 200, {
					name: 'HSCP Training local Supabase',
					mailbox: `${apiUrl}/mailbox`
				});
			sendJson(res, 404, { message: `Not found: ${path}` });
		} catch (error) {
			console.error('[local api]', error);
			if (!res.headersSent) {
				sendPostgrestError(res, 500, {
					code: 'PGRST000',
					message: 'Internal error in the local API'
				});
			} else res.end();
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	});

	// The production sender (GOV.UK Notify) is the mailbox here; pg_cron's jobs run on timers.
	const timer = mailbox
		? setInterval(() => {
				deliverNotifications(admin).catch((error) => console.error('[mailbox]', error.message));
			}, 2000)
		: undefined;
	const scheduler = await startScheduler(admin);

	return {
		url: apiUrl,
		async stop() {
			clearInterval(timer);
			scheduler.stop();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
			await Promise.all([admin.end(), api.end()]);
		}
	};
}
