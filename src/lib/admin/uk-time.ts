import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

const UK = 'Europe/London';

/** "2027-03-03" + "09:30" in UK time, as an instant (GMT or BST as that day has it). */
export function ukInstant(day: string, time: string) {
	const [y, m, d] = day.split('-').map(Number);
	const [hh, mm] = time.split(':').map(Number);
	return new Date(new TZDate(y!, m! - 1, d!, hh!, mm!, UK).getTime()).toISOString();
}

/** An instant as the date and time fields of a form, in UK time. */
export function ukFields(instant: string) {
	const uk = new TZDate(instant, UK);
	return { date: format(uk, 'yyyy-MM-dd'), time: format(uk, 'HH:mm') };
}
