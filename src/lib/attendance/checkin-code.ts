/**
 * The code a trainer's screen shows for self check-in: HMAC-SHA256 of '<session>:<step>'
 * with the session's secret, first four bytes as a number, last six digits — the same as
 * public.checkin_code on the server. A step is 30 seconds; codes work offline because the
 * secret comes down with the register.
 */
export const STEP_SECONDS = 30;

/** Check-in is open from 30 minutes before a session to 30 minutes after it (the server's rule). */
export const CHECK_IN_MARGIN_MS = 30 * 60_000;

export function checkInIsOpen(session: { starts_at: string; ends_at: string }, now = Date.now()) {
	return (
		Date.parse(session.starts_at) - CHECK_IN_MARGIN_MS <= now &&
		Date.parse(session.ends_at) + CHECK_IN_MARGIN_MS >= now
	);
}

export function stepAt(time: number) {
	return Math.floor(time / 1000 / STEP_SECONDS);
}

/** Milliseconds until the code changes. */
export function msUntilNextStep(time: number) {
	return (stepAt(time) + 1) * STEP_SECONDS * 1000 - time;
}

export async function checkInCode(secretBase64: string, sessionId: string, step: number) {
	const secret = Uint8Array.from(atob(secretBase64), (c) => c.charCodeAt(0));
	const key = await crypto.subtle.importKey(
		'raw',
		secret,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const mac = new DataView(
		await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${sessionId}:${step}`))
	);
	return String(mac.getUint32(0) % 1_000_000).padStart(6, '0');
}

/** The address the QR code holds: opening it on a phone checks its owner in. */
export function checkInUrl(origin: string, sessionId: string, step: number, code: string) {
	const url = new URL('/check-in', origin);
	url.searchParams.set('s', sessionId);
	url.searchParams.set('t', String(step));
	url.searchParams.set('c', code);
	return url.href;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a scanned check-in address; null when it is not one. */
export function readCheckInParams(params: URLSearchParams) {
	const sessionId = params.get('s') ?? '';
	const code = params.get('c') ?? '';
	const step = params.get('t');
	if (!UUID.test(sessionId) || !/^\d{6}$/.test(code)) return null;
	return { sessionId, code, step: step && /^\d{1,12}$/.test(step) ? Number(step) : null };
}
