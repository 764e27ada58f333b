import { beforeEach, describe, expect, it } from 'vitest';
import { TrainingDatabase, type Course, type Session } from '$lib/data';
import { brochure, brochureOf, coursePage, keepUnchanged } from './queries';
import { courseRow, sessionRow } from './spec-rows';

const now = new Date('2026-11-21T12:00:00Z');

const course = (id: string, title: string, status: Course['status'] = 'published') =>
	courseRow(id, title, { status });
const session = (id: string, courseId: string, startsAt: string, status?: Session['status']) =>
	sessionRow(id, courseId, startsAt, status ? { status } : {});

let db: TrainingDatabase;
beforeEach(async () => {
	db = new TrainingDatabase(`test-${crypto.randomUUID()}`);
	await db.courses.bulkPut([
		course('c1', 'Neglect'),
		course('c2', 'Domestic abuse'),
		course('c3', 'Draft course', 'draft')
	]);
	await db.sessions.bulkPut([
		session('s1', 'c1', '2026-12-10T09:30:00Z'),
		session('s2', 'c1', '2026-12-01T09:30:00Z'),
		session('s3', 'c1', '2026-11-01T09:30:00Z'),
		session('s4', 'c1', '2026-12-05T09:30:00Z', 'cancelled')
	]);
	await db.learningOutcomes.bulkPut([
		{ id: 'o2', course_id: 'c1', position: 2, text: 'Second outcome', retired_at: null },
		{ id: 'o1', course_id: 'c1', position: 1, text: 'First outcome', retired_at: null },
		{ id: 'o0', course_id: 'c1', position: 3, text: 'Retired', retired_at: '2026-01-01T00:00:00Z' }
	]);
});

describe('brochure', () => {
	it('lists published courses by title with only upcoming scheduled sessions, soonest first', async () => {
		const entries = await brochure(db, now);
		expect(entries.map((e) => e.course.title)).toEqual(['Domestic abuse', 'Neglect']);
		expect(entries[1]?.upcoming.map((s) => s.id)).toEqual(['s2', 's1']);
		expect(entries[0]?.upcoming).toEqual([]);
	});
});

describe('coursePage', () => {
	it('gives current outcomes in order and upcoming sessions', async () => {
		const page = await coursePage(db, 'neglect', now);
		expect(page?.outcomes.map((o) => o.text)).toEqual(['First outcome', 'Second outcome']);
		expect(page?.upcoming.map((s) => s.id)).toEqual(['s2', 's1']);
	});

	it('does not show a draft or unknown course', async () => {
		expect(await coursePage(db, 'draft-course', now)).toBeNull();
		expect(await coursePage(db, 'nothing-here', now)).toBeNull();
	});
});

describe('keepUnchanged', () => {
	// the same rows as separate copies, as the build's file and the device's database give them
	const copy = <T>(value: T): T => structuredClone(value);
	const built = brochureOf(
		[course('c1', 'Neglect'), course('c2', 'Domestic abuse')],
		[session('s1', 'c1', '2026-12-10T09:30:00Z'), session('s2', 'c2', '2026-12-01T09:30:00Z')],
		now
	);

	it('keeps the earlier list itself when every entry is unchanged', () => {
		expect(keepUnchanged(built, copy(built))).toBe(built);
	});

	it('keeps unchanged entries and takes changed, new and reordered ones', () => {
		const next = copy(built);
		next[0]!.upcoming[0]!.places_taken = 20;
		next[1]!.course.themes = ['Neglect', 'Early help'];
		const changed = keepUnchanged(built, next);
		expect(changed).not.toBe(built);
		expect(changed[0]).toBe(next[0]);
		expect(changed[1]).toBe(next[1]);

		const added = copy(built);
		added.push({ course: course('c3', 'Online safety'), upcoming: [] });
		const withNew = keepUnchanged(built, added);
		expect(withNew).toHaveLength(3);
		expect(withNew[0]).toBe(built[0]);
		expect(withNew[2]).toBe(added[2]);

		const reordered = keepUnchanged(built, copy(built).reverse());
		expect(reordered).not.toBe(built);
		expect(reordered).toEqual([built[1], built[0]]);
		expect(reordered[0]).toBe(built[1]);
	});

	it('sees a session that has gone or a field that has appeared', () => {
		const fewer = copy(built);
		fewer[1]!.upcoming = [];
		expect(keepUnchanged(built, fewer)[1]).toBe(fewer[1]);
		const extra = copy(built);
		extra[0]!.upcoming[0]!.waiting = 2;
		expect(keepUnchanged(built, extra)[0]).toBe(extra[0]);
	});

	it('ignores fields the public pages do not read (the device holds more than the build)', () => {
		const fuller = copy(built).map((entry) => ({
			...entry,
			course: { ...entry.course, followup_weeks: 12 }
		}));
		expect(keepUnchanged(built, fuller)).toBe(built);
	});
});
