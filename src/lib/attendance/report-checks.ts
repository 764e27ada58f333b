import { ukDate } from '$lib/brochure';
import type { AttendanceReport } from './attendance-report';
import { ukDay } from './report-times';

const longDate = (time: number) => ukDate(new Date(time).toISOString());

/** Words too common in meeting titles to say which session a report is for. */
const COMMON = new Set([
	'webinar',
	'wednesday',
	'wednesdays',
	'session',
	'training',
	'course',
	'meeting',
	'hscp',
	'safeguarding',
	'children',
	'partnership',
	'online',
	'introduction',
	'with',
	'from',
	'your',
	'into',
	'about'
]);

function words(title: string) {
	return new Set(
		title
			.normalize('NFD')
			.replace(/\p{Diacritic}/gu, '')
			.toLowerCase()
			.split(/[^\p{L}\p{N}]+/u)
			.filter((w) => w.length >= 4 && !COMMON.has(w))
	);
}

/**
 * What about a report does not fit the session, each for the trainer to confirm before
 * applying: the meeting's day (from its summary, or the first join) against the session's,
 * and its title against the course's when both have words that say what they are about.
 */
export function reportMismatches(
	report: AttendanceReport,
	session: { starts_at: string },
	courseTitle: string
): string[] {
	const found: string[] = [];
	const joins = report.rows.flatMap((r) => (r.firstJoin === null ? [] : [r.firstJoin]));
	const held = report.meeting.start ?? (joins.length ? Math.min(...joins) : null);
	const sessionStart = Date.parse(session.starts_at);
	if (held === null) {
		found.push(
			'The report does not say when the meeting took place, so it cannot be checked against this session.'
		);
	} else if (ukDay(held) !== ukDay(sessionStart)) {
		found.push(
			`The report is for a meeting on ${longDate(held)}; this session was on ${longDate(sessionStart)}.`
		);
	}
	const title = report.meeting.title;
	if (title) {
		const ours = words(courseTitle);
		const theirs = words(title);
		if (ours.size && theirs.size && ![...theirs].some((w) => ours.has(w))) {
			found.push(`The report's meeting is called “${title}”; this session is “${courseTitle}”.`);
		}
	}
	return found;
}
