import { describe, expect, it } from 'vitest';
import type { Booking, Course, Session } from '$lib/data';
import { alarmMinutesBefore, calendarEntry, calendarFile } from './calendar';

const course = {
	id: 'c',
	slug: 'neglect',
	title: 'Neglect: identification and response',
	summary: 'Recognising neglect.'
} as Course;
const session = {
	id: 's',
	starts_at: '2026-07-01T08:30:00Z',
	ends_at: '2026-07-01T15:30:00Z',
	venue_name: 'Winchester Discovery Centre',
	venue_address: 'Jewry Street, Winchester SO23 8SB',
	status: 'scheduled'
} as Session;
const booking = { id: 'b1', status: 'confirmed', join_url: null } as Booking;
const people = {
	organiser: { name: 'HSCP training team', email: 'training@hscp.example' },
	attendee: { email: 'sam.jones@nhs.example' }
};

/** The file's lines, with folded lines joined (RFC 5545 §3.1). */
const lines = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n');

describe('calendarFile', () => {
	it('writes the session as a UTC event with the venue', async () => {
		const ics = await calendarFile(course, session, booking, people);
		expect(ics).toContain('BEGIN:VCALENDAR');
		expect(ics).toContain('DTSTART:20260701T083000Z');
		expect(ics).toContain('DTEND:20260701T153000Z');
		expect(ics).toContain('SUMMARY:Neglect: identification and response');
		expect(ics).toContain(
			'LOCATION:Winchester Discovery Centre\\, Jewry Street\\, Winchester SO23 8SB'
		);
		expect(ics).toContain('UID:b1@hscp-training');
	});

	it('is a request from the partnership to the person, with an alarm an hour before a venue session', async () => {
		const ics = lines(await calendarFile(course, session, booking, people));
		expect(ics).toContain('METHOD:REQUEST');
		expect(ics).toContain('SEQUENCE:0');
		expect(ics).toContain('STATUS:CONFIRMED');
		expect(ics.find((l) => l.startsWith('ORGANIZER'))).toMatch(/:mailto:training@hscp\.example$/);
		expect(ics.find((l) => l.startsWith('ATTENDEE'))).toMatch(
			/PARTSTAT=ACCEPTED.*:MAILTO:sam\.jones@nhs\.example$/i
		);
		const alarm = ics.slice(ics.indexOf('BEGIN:VALARM'), ics.indexOf('END:VALARM'));
		expect(alarm).toContain('ACTION:DISPLAY');
		expect(alarm).toContain('TRIGGER:-PT1H');
	});

	it('puts the joining link of a confirmed webinar place in the event, and reminds 15 minutes before', async () => {
		const online = { ...session, venue_name: null, venue_address: null } as Session;
		const ics = await calendarFile(
			course,
			online,
			{ id: 'b2', status: 'confirmed', join_url: 'https://teams.example/join/abc' } as Booking,
			people
		);
		expect(ics).toContain('LOCATION:Online');
		expect(ics.replace(/\r\n /g, '')).toContain('Join online: https://teams.example/join/abc');
		expect(ics).toContain('TRIGGER:-PT15M');
		expect(alarmMinutesBefore(online)).toBe(15);
	});

	it('updates the same entry after the session moved: same UID, the session’s sequence', async () => {
		const moved = {
			...session,
			starts_at: '2026-07-08T08:30:00Z',
			ends_at: '2026-07-08T15:30:00Z',
			calendar_sequence: 2
		} as Session;
		const ics = lines(await calendarFile(course, moved, booking, people));
		expect(ics).toContain('UID:b1@hscp-training');
		expect(ics).toContain('SEQUENCE:2');
		expect(ics).toContain('METHOD:REQUEST');
		expect(ics).toContain('DTSTART:20260708T083000Z');
	});

	it('takes the entry out once the place is released: CANCEL, one sequence higher, no alarm or link', async () => {
		const released = {
			id: 'b1',
			status: 'cancelled',
			join_url: 'https://teams.example/join/abc'
		} as Booking;
		const ics = lines(
			await calendarFile(course, { ...session, calendar_sequence: 2 }, released, people)
		);
		expect(ics).toContain('METHOD:CANCEL');
		expect(ics).toContain('STATUS:CANCELLED');
		expect(ics).toContain('UID:b1@hscp-training');
		expect(ics).toContain('SEQUENCE:3');
		expect(ics).not.toContain('BEGIN:VALARM');
		expect(ics.join('\n')).not.toContain('teams.example');
	});

	it('says why when the partnership cancelled the session', async () => {
		const cancelled = {
			...session,
			status: 'cancelled',
			cancelled_reason: 'The trainer is ill'
		} as Session;
		const ics = lines(
			await calendarFile(course, cancelled, { ...booking, status: 'cancelled' }, people)
		).join('');
		expect(ics).toContain('The partnership has cancelled this session: The trainer is ill');
		expect(ics).toContain('METHOD:CANCEL');
	});

	it('is not made for a place not yet held', async () => {
		await expect(
			calendarFile(course, session, { ...booking, status: 'waitlisted' }, people)
		).rejects.toThrow('A calendar entry needs a confirmed or cancelled place');
	});
});

describe('calendarEntry', () => {
	it.each([
		['confirmed', 'scheduled', 'add'],
		['cancelled', 'scheduled', 'remove'],
		['declined', 'scheduled', 'remove'],
		['cancelled', 'cancelled', 'remove'],
		['confirmed', 'cancelled', 'remove'],
		['waitlisted', 'scheduled', null],
		['offered', 'scheduled', null],
		['requested', 'scheduled', null]
	] as const)('a %s booking of a %s session: %s', (status, sessionStatus, expected) => {
		expect(calendarEntry({ status }, { status: sessionStatus })).toBe(expected);
	});
});
