import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local GOV.UK Notify: the requests, responses and error JSON its API documentation gives
 * for sending an email and looking notifications up by reference. It checks the bearer
 * token as Notify does (HS256, `iss` a known service, `iat` within 30 seconds).
 */

export const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
export const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
export const API_KEY = `hscp_training_test-${SERVICE_ID}-${SECRET}`;
export const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

type Sent = {
	id: string;
	reference: string;
	email_address: string;
	personalisation: Record<string, string>;
};
type Fault = { status: number; error: string; message: string };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function startFakeNotify() {
	const sent: Sent[] = [];
	const faults: Fault[] = [];
	let requests = 0;

	const reply = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	const fail = (res: ServerResponse, status: number, error: string, message: string) =>
		reply(res, status, { status_code: status, errors: [{ error, message }] });

	function authError(req: IncomingMessage) {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const [header, claims, signature] = token?.split('.') ?? [];
		if (!header || !claims || !signature)
			return 'Unauthorized: authentication token must be provided';
		const expected = createHmac('sha256', SECRET).update(`${header}.${claims}`).digest('base64url');
		const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
			iss?: string;
			iat?: number;
		};
		const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
		if (payload.iss !== SERVICE_ID || alg !== 'HS256' || signature !== expected) {
			return 'Invalid token: API key not found';
		}
		if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > 30) {
			return 'Error: Your system clock must be accurate to within 30 seconds';
		}
		return null;
	}

	const server = createServer(async (req, res) => {
		requests++;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const fault = faults.shift();
		if (fault) return fail(res, fault.status, fault.error, fault.message);
		const problem = authError(req);
		if (problem) return fail(res, 403, 'AuthError', problem);
		const url = new URL(req.url ?? '/', 'http://notify.local');

		if (req.method === 'POST' && url.pathname === '/v2/notifications/email') {
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
			} catch {
				return fail(res, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
			}
			const address = String(body.email_address ?? '');
			if (!EMAIL.test(address)) {
				return fail(res, 400, 'ValidationError', 'email_address Not a valid email address');
			}
			if (body.template_id !== TEMPLATE_ID) {
				return fail(res, 400, 'BadRequestError', 'Template not found');
			}
			const personalisation = (body.personalisation ?? {}) as Record<string, string>;
			for (const field of ['subject', 'body']) {
				if (typeof personalisation[field] !== 'string') {
					return fail(res, 400, 'BadRequestError', `Missing personalisation: ${field}`);
				}
			}
			const id = crypto.randomUUID();
			const reference = String(body.reference ?? '');
			sent.push({ id, reference, email_address: address, personalisation });
			return reply(res, 201, {
				id,
				reference,
				content: {
					subject: personalisation.subject,
					body: personalisation.body,
					from_email: 'hscp.training@notifications.service.gov.uk'
				},
				uri: `https://api.notifications.service.gov.uk/v2/notifications/${id}`,
				template: {
					id: TEMPLATE_ID,
					version: 1,
					uri: `https://api.notifications.service.gov.uk/v2/template/${TEMPLATE_ID}/version/1`
				}
			});
		}
		if (req.method === 'GET' && url.pathname === '/v2/notifications') {
			const reference = url.searchParams.get('reference');
			const found = sent.filter((s) => reference === null || s.reference === reference);
			return reply(res, 200, {
				notifications: found.map((s) => ({
					id: s.id,
					reference: s.reference,
					email_address: s.email_address,
					type: 'email',
					status: 'delivered',
					subject: s.personalisation.subject,
					body: s.personalisation.body
				})),
				links: { current: `https://api.notifications.service.gov.uk/v2/notifications${url.search}` }
			});
		}
		fail(res, 404, 'BadRequestError', 'Not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	return {
		url: `http://127.0.0.1:${port}`,
		sent,
		/** The next responses are these errors, in order, whatever the request. */
		failNext: (...next: Fault[]) => faults.push(...next),
		requests: () => requests,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export const RATE_LIMITED = {
	status: 429,
	error: 'RateLimitError',
	message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'
};
export const SEND_LIMIT = {
	status: 429,
	error: 'TooManyRequestsError',
	message: 'Exceeded send limits (50) for today'
};
export const SERVER_ERROR = { status: 500, error: 'Exception', message: 'Internal server error' };
export const TRIAL_MODE = {
	status: 400,
	error: 'BadRequestError',
	message:
		'Can’t send to this recipient when service is in trial mode – see https://www.notifications.service.gov.uk/trial-mode'
};
