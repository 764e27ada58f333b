import { PUBLIC_TRAINING_EMAIL } from '$env/static/public';
import type { CalendarPeople } from './calendar';

/** The organiser of every calendar entry: the partnership's training team. */
export const organiser: CalendarPeople['organiser'] = {
	name: 'Hampshire Safeguarding Children Partnership training team',
	email: PUBLIC_TRAINING_EMAIL
};
