import { describe, expect, it } from 'vitest';
import type { Session } from '$lib/data';
import { sessionMove, type MoveFields } from './session-move';

const session = {
	id: 's',
	starts_at: '2027-07-07T08:30:00Z',
	ends_at: '2027-07-07T15:30:00Z',
	venue_name: 'Winchester Discovery Centre',
	venue_address: 'Jewry Street, Winchester'
} as Session;
const asItIs: MoveFields = {
	date: '2027-07-07',
	starts: '09:30',
	ends: '16:30',
	venueName: 'Winchester Discovery Centre',
	venueAddress: 'Jewry Street, Winchester',
	joinUrl: ''
};

describe('sessionMove', () => {
	it('sends only what changed, in UK time', () => {
		expect(sessionMove(session, { ...asItIs, date: '2027-07-14' })).toEqual({
			changes: { starts_at: '2027-07-14T08:30:00.000Z', ends_at: '2027-07-14T15:30:00.000Z' }
		});
		expect(sessionMove(session, { ...asItIs, venueName: 'Fareham Civic Offices' })).toEqual({
			changes: { venue_name: 'Fareham Civic Offices' }
		});
	});

	it('moves a session online with its joining link', () => {
		expect(
			sessionMove(session, {
				...asItIs,
				venueName: '',
				venueAddress: '',
				joinUrl: 'https://teams.example/join/x'
			})
		).toEqual({
			changes: { venue_name: '', venue_address: '', join_url: 'https://teams.example/join/x' }
		});
	});

	it('says so when nothing has changed, and tells nobody', () => {
		expect(sessionMove(session, asItIs)).toEqual({
			errors: { date: 'Nothing has changed: change the date, a time or the place' }
		});
	});

	it('names each field that is wrong', () => {
		expect(
			sessionMove(session, { ...asItIs, date: '', ends: '08:00', joinUrl: 'http://x' })
		).toEqual({
			errors: { date: 'Enter the date', joinUrl: 'The joining link must start with https://' }
		});
		expect(sessionMove(session, { ...asItIs, ends: '08:00' })).toEqual({
			errors: { ends: 'The end must be after the start' }
		});
	});
});
