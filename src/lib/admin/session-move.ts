import type { Session } from '$lib/data';
import { ukInstant } from './uk-time';

/** What the admin's "Change the date, time or place" form holds. */
export interface MoveFields {
	date: string;
	starts: string;
	ends: string;
	venueName: string;
	venueAddress: string;
	/** a new joining link; empty keeps the one the session has */
	joinUrl: string;
}

/**
 * The changes the form makes to the session, for admin_save_session: only the fields that
 * differ, so saving the form as it was tells nobody. Errors are keyed by field.
 */
export function sessionMove(
	session: Session,
	fields: MoveFields
): { changes: Record<string, string> } | { errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.date)) errors.date = 'Enter the date';
	if (!/^\d{2}:\d{2}$/.test(fields.starts)) errors.starts = 'Enter the start time';
	if (!/^\d{2}:\d{2}$/.test(fields.ends)) errors.ends = 'Enter the end time';
	if (fields.joinUrl.trim() && !/^https:\/\//.test(fields.joinUrl.trim()))
		errors.joinUrl = 'The joining link must start with https://';
	if (Object.keys(errors).length) return { errors };
	const startsAt = ukInstant(fields.date, fields.starts);
	const endsAt = ukInstant(fields.date, fields.ends);
	if (endsAt <= startsAt) return { errors: { ends: 'The end must be after the start' } };
	const changes: Record<string, string> = {};
	if (startsAt !== new Date(session.starts_at).toISOString()) changes.starts_at = startsAt;
	if (endsAt !== new Date(session.ends_at).toISOString()) changes.ends_at = endsAt;
	if (fields.venueName.trim() !== (session.venue_name ?? ''))
		changes.venue_name = fields.venueName.trim();
	if (fields.venueAddress.trim() !== (session.venue_address ?? ''))
		changes.venue_address = fields.venueAddress.trim();
	if (fields.joinUrl.trim()) changes.join_url = fields.joinUrl.trim();
	if (!Object.keys(changes).length)
		return { errors: { date: 'Nothing has changed: change the date, a time or the place' } };
	return { changes };
}
