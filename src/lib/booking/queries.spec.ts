import { describe, expect, it } from 'vitest';
import { TrainingDatabase, type Booking } from '$lib/data';
import { courseRow, sessionRow } from '$lib/brochure/spec-rows';
import { myTraining } from './queries';

const booking = (
	id: string,
	sessionId: string,
	status: Booking['status'] = 'confirmed'
): Booking => ({
	id,
	session_id: sessionId,
	user_id: 'me',
	status,
	waitlisted_at: null,
	offer_expires_at: null,
	created_at: '2026-11-01T09:00:00Z',
	cancelled_at: null
});

describe('My training', () => {
	it('puts a session in progress and one later today under Today, not Coming up', async () => {
		const db = new TrainingDatabase(`test-${crypto.randomUUID()}`);
		// 10:30 on 2 December 2026, UK time (GMT)
		const now = new Date('2026-12-02T10:30:00Z');
		await db.courses.put(courseRow('c', 'Neglect'));
		await db.sessions.bulkPut([
			sessionRow('started', 'c', '2026-12-02T10:00:00Z'),
			sessionRow('afternoon', 'c', '2026-12-02T14:00:00Z'),
			sessionRow('tomorrow', 'c', '2026-12-03T09:00:00Z'),
			sessionRow('over', 'c', '2026-12-01T09:00:00Z')
		]);
		await db.bookings.bulkPut([
			booking('b1', 'started'),
			booking('b2', 'afternoon', 'waitlisted'),
			booking('b3', 'tomorrow'),
			booking('b4', 'over')
		]);
		const training = await myTraining(db, 'me', now);
		const ids = (rows: { session: { id: string } }[]) => rows.map((r) => r.session.id);
		expect(ids(training.today)).toEqual(['started', 'afternoon']);
		expect(ids(training.upcoming)).toEqual(['tomorrow']);
		expect(ids(training.past)).toEqual(['over']);
	});
});
