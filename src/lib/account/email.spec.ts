import { describe, expect, it } from 'vitest';
import { emailProblem } from './email';

describe('an email address typed to sign in', () => {
	it('is accepted in the shapes people use', () => {
		for (const ok of [
			'sam.jones@hants.gov.uk',
			'SAM.JONES@NHS.NET',
			"o'neill+training@school.example.org",
			`${'a'.repeat(64)}@example.org`,
			'  padded@example.org  '
		])
			expect(emailProblem(ok), ok).toBeNull();
	});

	it('is refused with the reason when it is too long or the wrong shape', () => {
		expect(emailProblem('')).toBe('Enter your email address');
		expect(emailProblem(`${'a'.repeat(300)}@example.org`)).toBe(
			'Email address must be 254 characters or fewer'
		);
		expect(emailProblem(`${'a'.repeat(65)}@example.org`)).toBe(
			'The part before the @ must be 64 characters or fewer'
		);
		for (const bad of [
			'sam',
			'@example.org',
			'sam@',
			'sam@example',
			'sam@@example.org',
			'sam jones@example.org',
			'sam..jones@example.org',
			'sam@-example.org',
			'sam@example.c',
			'sam@exa_mple.org',
			'<sam>@example.org'
		])
			expect(emailProblem(bad), bad).toBe(
				'Enter an email address in the correct format, like name@example.org'
			);
	});
});
