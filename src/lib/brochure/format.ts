import type { CourseFormat, CourseLevel } from '$lib/data';

// Display formatting uses the browser's own Intl with the Europe/London zone: the same
// output as date-fns with @date-fns/tz, at no bundle cost on the first brochure view
// (measured: 8 KB gzip). date-fns stays for date arithmetic.
const inLondon = (options: Intl.DateTimeFormatOptions) =>
	new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...options });

const dateFormat = inLondon({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = inLondon({ hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });
const zoneFormat = inLondon({ timeZoneName: 'short' });

/** 'GMT' or 'BST' at that moment. */
function ukZone(date: Date) {
	return zoneFormat.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'UK time';
}

/**
 * Remembers each answer: the brochure formats the same few hundred session times when it
 * hydrates and again when the device's copy replaces the build's, and Intl is slow on a
 * cheap phone (measured in the Lighthouse bench's main-thread profile).
 */
function remembered(format: (iso: string) => string) {
	const known = new Map<string, string>();
	return (iso: string) => {
		let text = known.get(iso);
		if (text === undefined) known.set(iso, (text = format(iso)));
		return text;
	};
}

/** "Wednesday 2 December 2026" in UK time, whatever the device's zone. */
export const ukDate = remembered((iso) => {
	const parts = Object.fromEntries(
		dateFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value])
	);
	return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
});

/** "9:30am" in UK time. */
export const ukTime = remembered((iso) => {
	const parts = Object.fromEntries(
		timeFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value])
	);
	return `${parts.hour}:${parts.minute}${String(parts.dayPeriod).toLowerCase()}`;
});

/** "9:30am to 10:30am GMT" */
export function ukTimeRange(startIso: string, endIso: string) {
	return `${ukTime(startIso)} to ${ukTime(endIso)} ${ukZone(new Date(startIso))}`;
}

export function formatLabel(f: CourseFormat) {
	return {
		face_to_face: 'Face to face',
		webinar: 'Webinar',
		elearning: 'eLearning',
		conference: 'Conference'
	}[f];
}

export function levelLabel(level: CourseLevel) {
	return level.charAt(0).toUpperCase() + level.slice(1);
}

/** "45 minutes", "1 hour", "6 hours 30 minutes" */
export function durationLabel(minutes: number) {
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	const parts = [];
	if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
	if (rest) parts.push(`${rest} ${rest === 1 ? 'minute' : 'minutes'}`);
	return parts.join(' ');
}
