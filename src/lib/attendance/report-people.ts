import type { ReportMeeting, ReportRow } from './attendance-report';

/** Who runs the session, so their rows in a report are never taken for attendees. */
export interface SessionPeople {
	trainers: { full_name: string | null; email: string | null }[];
}

/**
 * A name reduced for comparing: accents, case, punctuation and word order aside, with a
 * trailing "(Guest)" or "(Owen P)" dropped and "Surname, First" read as "First Surname".
 */
export function foldName(name: string) {
	let text = name
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.replace(/\s*[([].*?[)\]]\s*/g, ' ');
	const comma = text.split(',');
	if (comma.length === 2) text = `${comma[1]} ${comma[0]}`;
	return text
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean)
		.sort()
		.join(' ');
}

const ORGANISER = /organi[sz]er|presenter|host|co-host/i;
const PHONE = /^\+?[\d\s().-]{7,}$/;
const DIAL_IN =
	/\b(dial[- ]?in|call[- ]?in|phone|telephone|audio)\s*(user|participant|caller|conference)?\b|^caller\b|^unknown caller/i;
const DEVICE =
	/^(iphone|ipad|ipod|android|galaxy|samsung|pixel|oneplus|huawei|xiaomi|redmi|motorola|nokia|macbook|imac|surface|chromebook|kindle|windows pc|laptop|desktop|mobile|my phone|tablet)\b|^(desktop|laptop)-[a-z0-9]+$|['’]s (iphone|ipad|android|galaxy|phone|laptop|macbook|mac|pc|tablet|surface)\b|\b(meeting|conference|board|training) room\b|\bteams room\b|\bzoom room\b/i;

/** Why a report row is not an attendee to mark or add; null when it may be one. */
export function leftOutReason(
	row: ReportRow,
	meeting: ReportMeeting,
	session: SessionPeople
): string | null {
	if (row.waitingRoom) return 'only in the waiting room';
	if (row.role && ORGANISER.test(row.role)) return `the meeting's ${row.role.toLowerCase()}`;
	if (row.email && meeting.hostEmail && row.email === meeting.hostEmail)
		return 'the meeting’s host';
	const folded = foldName(row.name);
	const trainer = session.trainers.some(
		(t) =>
			(row.email && t.email && t.email.toLowerCase() === row.email) ||
			(t.full_name && foldName(t.full_name) === folded)
	);
	if (trainer) return 'a trainer of this session';
	if (!row.email && (PHONE.test(row.name) || DIAL_IN.test(row.name))) {
		return 'joined by phone: no name to mark';
	}
	if (!row.email && DEVICE.test(row.name.trim())) return 'a device’s name, not a person’s';
	return null;
}
