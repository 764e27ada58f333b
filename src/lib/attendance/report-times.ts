import { TZDate } from '@date-fns/tz';

/**
 * Times in attendance reports, as Teams and Zoom write them: "11/18/26, 9:58:12 AM" (Teams,
 * US English), "18/11/2026, 09:58:12" (Teams, UK English), "11/18/2026 10:00:03 AM" (Zoom),
 * "2026-11-18 10:00:02". They are wall-clock times where the report was made, taken as UK
 * time. Day and month order is worked out from the whole file: a first number above 12
 * means day first, a second above 12 means month first; when every date could be either,
 * a 12-hour clock suggests month first (US style) and a 24-hour clock day first.
 */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface Stamp {
	a: number;
	b: number;
	c: number;
	hour: number;
	minute: number;
	second: number;
	yearFirst: boolean;
	twelveHour: boolean;
}

const STAMP =
	/^(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4}),?(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp])?\.?(?:[Mm]\.?)?$/;

/** The parts of a report's timestamp; null when it is not one. */
export function readStamp(text: string): Stamp | null {
	const m = STAMP.exec(text.trim());
	if (!m) return null;
	const [, a, b, c, h, min, s, half] = m;
	let hour = Number(h);
	if (half) {
		if (hour < 1 || hour > 12) return null;
		hour = (hour % 12) + (/[Pp]/.test(half) ? 12 : 0);
	}
	if (hour > 23 || Number(min) > 59 || Number(s ?? 0) > 59) return null;
	return {
		a: Number(a),
		b: Number(b),
		c: Number(c),
		hour,
		minute: Number(min),
		second: Number(s ?? 0),
		yearFirst: a!.length === 4,
		twelveHour: Boolean(half)
	};
}

/** The day-month order of a file's dates, and whether the dates themselves settle it. */
export function dateOrder(stamps: Stamp[]): { order: DateOrder; certain: boolean } {
	const dated = stamps.filter((s) => !s.yearFirst);
	if (dated.length === 0) return { order: 'ymd', certain: true };
	if (dated.some((s) => s.a > 12)) return { order: 'dmy', certain: true };
	if (dated.some((s) => s.b > 12)) return { order: 'mdy', certain: true };
	return { order: dated.some((s) => s.twelveHour) ? 'mdy' : 'dmy', certain: false };
}

/** The instant a stamp names, read in the given order as UK time; null if no such date. */
export function toInstant(stamp: Stamp, order: DateOrder): number | null {
	const [year, month, day] = stamp.yearFirst
		? [stamp.a, stamp.b, stamp.c]
		: order === 'mdy'
			? [stamp.c, stamp.a, stamp.b]
			: [stamp.c, stamp.b, stamp.a];
	const fullYear = year < 100 ? 2000 + year : year;
	if (month < 1 || month > 12 || day < 1 || day > new Date(fullYear, month, 0).getDate()) {
		return null;
	}
	return new TZDate(
		fullYear,
		month - 1,
		day,
		stamp.hour,
		stamp.minute,
		stamp.second,
		'Europe/London'
	).getTime();
}

/** The UK calendar day of an instant, as yyyy-mm-dd. */
export function ukDay(time: number) {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(time);
}
