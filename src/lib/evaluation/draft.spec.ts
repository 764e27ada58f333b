import { describe, expect, it } from 'vitest';
import type { LearningOutcome } from '$lib/data';
import { emptyDraft, firstIncomplete, outcomesAt, stepErrors, steps, submission } from './draft';

const outcome = (
	id: string,
	position: number,
	retired_at: string | null = null
): LearningOutcome => ({
	id,
	course_id: 'c',
	position,
	text: `Outcome ${id}`,
	retired_at
});

describe('the evaluation form', () => {
	it('asks about the outcomes current when the session ran, in order', () => {
		const all = [
			outcome('b', 2),
			outcome('a', 1),
			outcome('old', 3, '2026-01-01T00:00:00Z'),
			outcome('later', 4, '2026-12-01T00:00:00Z')
		];
		expect(outcomesAt(all, { starts_at: '2026-11-18T10:00:00Z' }).map((o) => o.id)).toEqual([
			'a',
			'b',
			'later'
		]);
	});

	it('has a page per outcome, then usefulness, practice and a check; each page says what is missing', () => {
		const outcomes = [outcome('a', 1), outcome('b', 2)];
		const pages = steps(outcomes);
		expect(pages.map((p) => p.kind)).toEqual([
			'outcome',
			'outcome',
			'overall',
			'practice',
			'check'
		]);
		const draft = emptyDraft('s', 's');
		expect(stepErrors(pages[0]!, draft)).toEqual({
			'before-1': 'Choose how confident you felt before the training',
			'after-1': 'Choose how confident you feel now'
		});
		draft.ratings.a = { before: 2, after: 4 };
		expect(stepErrors(pages[0]!, draft)).toEqual({});
		expect(firstIncomplete(pages, draft)).toBe(1);
		draft.practice_change = '   ';
		expect(stepErrors(pages[3]!, draft)).toEqual({
			'practice-change': 'Enter how this training will inform your practice'
		});
		draft.practice_change = 'x'.repeat(5001);
		expect(stepErrors(pages[3]!, draft)['practice-change']).toBe(
			'Your answer must be 5000 characters or fewer'
		);
	});

	it('turns a complete draft into one submission with a rating for every outcome', () => {
		const outcomes = [outcome('a', 1), outcome('b', 2)];
		const draft = {
			...emptyDraft('s', 'session-1'),
			ratings: { a: { before: 1, after: 3 }, b: { before: 2, after: 5 } },
			overall: 4,
			practice_change: ' Use the toolkit ',
			comments: ''
		};
		expect(firstIncomplete(steps(outcomes), draft)).toBeNull();
		expect(submission(draft, outcomes, 'e1')).toEqual({
			id: 'e1',
			session_id: 'session-1',
			overall: 4,
			practice_change: 'Use the toolkit',
			comments: null,
			ratings: [
				{ outcome_id: 'a', before: 1, after: 3 },
				{ outcome_id: 'b', before: 2, after: 5 }
			]
		});
	});
});
