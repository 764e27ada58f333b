import { describe, expect, it } from 'vitest';
import type { Booking, Course, Session } from '$lib/data';
import { calendarFile } from './calendar';

const course = {
	id: 'c',
	title: 'Neglect: identification and response',
	summary: 'Recognising neglect.'
} as Course;
const session = {
	id: 's',
	starts_at: '2026-07-01T08:30:00Z',
	ends_at: '2026-07-01T15:30:00Z',
	venue_name: 'Winchester Discovery Centre',
	venue_address: 'Jewry Street, Winchester SO23 8SB'
} as Session;
const booking = { id: 'b1', join_url: null } as Booking;

describe('calendarFile', () => {
	it('writes the session as a UTC event with the venue', async () => {
		const ics = await calendarFile(course, session, booking);
		expect(ics).toContain('BEGIN:VCALENDAR');
		expect(ics).toContain('DTSTART:20260701T083000Z');
		expect(ics).toContain('DTEND:20260701T153000Z');
		expect(ics).toContain('SUMMARY:Neglect: identification and response');
		expect(ics).toContain(
			'LOCATION:Winchester Discovery Centre\\, Jewry Street\\, Winchester SO23 8SB'
		);
		expect(ics).toContain('UID:b1@hscp-training');
	});

	it('puts the joining link of a confirmed webinar place in the event', async () => {
		const online = { ...session, venue_name: null, venue_address: null } as Session;
		const ics = await calendarFile(course, online, {
			id: 'b2',
			join_url: 'https://teams.example/join/abc'
		} as Booking);
		expect(ics).toContain('LOCATION:Online');
		expect(ics.replace(/\r\n /g, '')).toContain('Join online: https://teams.example/join/abc');
	});
});
