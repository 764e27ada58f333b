import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import type { CourseFormat, CourseLevel } from '$lib/data';

const london = tz('Europe/London');
const zoneName = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	timeZoneName: 'short'
});

/** 'GMT' or 'BST' at that moment. */
function ukZone(date: Date) {
	return zoneName.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'UK time';
}

/** "Wednesday 2 December 2026" in UK time, whatever the device's zone. */
export function ukDate(iso: string) {
	return format(new Date(iso), 'EEEE d MMMM yyyy', { in: london });
}

/** "9:30am" in UK time. */
export function ukTime(iso: string) {
	return format(new Date(iso), 'h:mmaaa', { in: london });
}

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
