import { describe, expect, it } from 'vitest';
import { checkCourse, courseArgs, courseDraft } from './course-form';

describe('the course form', () => {
	it('names what is missing', () => {
		const errors = checkCourse({ ...courseDraft(), duration: '5', followupWeeks: '60' });
		expect(errors).toMatchObject({
			title: 'Enter a title',
			summary: 'Enter a summary of at least 10 characters',
			duration: 'Enter a duration between 15 and 2880 minutes',
			'followup-weeks': 'Enter a number of weeks between 1 and 52',
			themes: 'Enter at least one theme',
			outcomes: 'Enter at least one learning outcome'
		});
	});

	it('sends the follow-up interval, 12 weeks unless changed', () => {
		expect(courseDraft().followupWeeks).toBe('12');
		const draft = { ...courseDraft(), followupWeeks: '8', themes: 'Neglect', outcomes: 'One' };
		expect(courseArgs(draft, []).course.followup_weeks).toBe(8);
	});

	it('asks for the link of an eLearning course', () => {
		expect(checkCourse({ ...courseDraft(), format: 'elearning' }).elearningUrl).toBe(
			'Enter the eLearning link, starting https://'
		);
	});

	it('keeps the id of an unchanged outcome so its ratings keep their meaning', () => {
		const draft = {
			...courseDraft(),
			themes: 'Neglect,  Domestic abuse ,',
			outcomes: 'Kept\nChanged text'
		};
		const args = courseArgs(draft, [
			{ id: 'o1', course_id: 'c', position: 1, text: 'Kept', retired_at: null },
			{ id: 'o2', course_id: 'c', position: 2, text: 'Old text', retired_at: null }
		]);
		expect(args.course.themes).toEqual(['Neglect', 'Domestic abuse']);
		expect(args.outcomes).toEqual([
			{ id: 'o1', text: 'Kept' },
			{ id: undefined, text: 'Changed text' }
		]);
	});

	it('sends renewal years and questions at booking, and checks both', () => {
		const draft = {
			...courseDraft(),
			themes: 'Neglect',
			outcomes: 'One',
			renewYears: '3',
			bookingQuestions: '  Any access needs?  \n\nAnything else we should know?'
		};
		expect(courseArgs(draft, []).course).toMatchObject({
			renew_years: 3,
			booking_questions: ['Any access needs?', 'Anything else we should know?']
		});
		expect(courseArgs({ ...draft, renewYears: ' ' }, []).course.renew_years).toBeNull();
		expect(checkCourse({ ...draft, renewYears: '11' })['renew-years']).toBe(
			'Enter a number of years between 1 and 10, or leave it empty'
		);
		expect(
			checkCourse({ ...draft, bookingQuestions: Array(6).fill('A question?').join('\n') })[
				'booking-questions'
			]
		).toBe('Ask at most 5 questions at booking');
		expect(checkCourse({ ...draft, bookingQuestions: 'Why?' })['booking-questions']).toBe(
			'Each booking question must be 5 to 300 characters'
		);
	});
});
