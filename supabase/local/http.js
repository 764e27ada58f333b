// @ts-check
// Small helpers shared by the local API's handlers.
import { gzipSync } from 'node:zlib';

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

// Bodies larger than this are refused with 413 before being read in full; a sync push is
// at most 1 MB by its own rule (sync_push), with room for the call around it.
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Thrown by readBody when a body is over MAX_BODY_BYTES. */
export class BodyTooLarge extends Error {
	constructor() {
		super(`Request body too large: at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
	}
}

/**
 * Sends JSON, gzip-compressed when the caller accepts it and it is worth it, as Supabase's
 * gateway does (a first brochure pull is ~170 KB of JSON, ~20 KB compressed).
 * @param {Response} res @param {number} status @param {unknown} body
 */
export function sendJson(res, status, body) {
	const text = body === undefined ? '' : JSON.stringify(body);
	const accepts = /\bgzip\b/.test(String(res.req?.headers['accept-encoding'] ?? ''));
	if (accepts && text.length > 1024) {
		res.writeHead(status, {
			'content-type': 'application/json; charset=utf-8',
			'content-encoding': 'gzip',
			vary: 'accept-encoding'
		});
		res.end(gzipSync(text));
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(text);
}

/** PostgREST's error body. @param {Response} res @param {number} status */
export function sendPostgrestError(
	res,
	status,
	/** @type {{code: string, message: string, details?: string | null, hint?: string | null}} */ e
) {
	sendJson(res, status, {
		code: e.code,
		details: e.details ?? null,
		hint: e.hint ?? null,
		message: e.message
	});
}

/**
 * Reads the body as text. A body over the limit (by its declared length, or as it arrives)
 * rejects with BodyTooLarge once the caller has finished sending it (read and dropped, so
 * the caller is not cut off mid-send and does get the answer); one over ten times the limit
 * is cut off at once.
 * @param {Request} req
 */
export function readBody(req) {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > 10 * MAX_BODY_BYTES) {
			reject(new BodyTooLarge());
			req.destroy();
			return;
		}
		/** @type {Buffer[]} */
		let chunks = [];
		let size = 0;
		let over = declared > MAX_BODY_BYTES;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > 10 * MAX_BODY_BYTES) {
				reject(new BodyTooLarge());
				req.destroy();
			} else if (over || size > MAX_BODY_BYTES) {
				over = true;
				chunks = [];
			} else chunks.push(chunk);
		});
		req.on('end', () => {
			if (over) reject(new BodyTooLarge());
			else resolve(Buffer.concat(chunks).toString('utf8'));
		});
		req.on('error', reject);
	});
}

/** 413 for a body over the limit. @param {Response} res */
export function sendTooLarge(res) {
	sendPostgrestError(res, 413, {
		code: 'PGRST413',
		message: new BodyTooLarge().message,
		hint: 'Send less at a time.'
	});
}

/** The bearer token, or the apikey header as Supabase's gateway falls back to. @param {Request} req */
export function bearerToken(req) {
	const auth = req.headers.authorization;
	if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
	const apikey = req.headers.apikey;
	return typeof apikey === 'string' && apikey ? apikey : null;
}

/** @param {Request} req @param {Response} res */
export function allowCors(req, res) {
	res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
	res.setHeader('vary', 'Origin');
	res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
	res.setHeader(
		'access-control-allow-headers',
		req.headers['access-control-request-headers'] ??
			'authorization, apikey, content-type, x-client-info, content-profile, accept-profile, prefer'
	);
	res.setHeader('access-control-max-age', '600');
}
