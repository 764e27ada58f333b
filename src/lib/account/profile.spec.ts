import { describe, expect, it } from 'vitest';
import { validateProfile } from './profile';

const agency = '3f1c8a52-2a8e-4c1e-9d37-0f2f6d7c1a11';

describe('validateProfile', () => {
	it('accepts a complete profile and trims it', () => {
		expect(
			validateProfile({ full_name: '  Jo Bloggs ', agency_id: agency, job_role: 'DSL ' })
		).toEqual({
			ok: true,
			value: { full_name: 'Jo Bloggs', agency_id: agency, job_role: 'DSL' }
		});
	});

	it('names every missing field', () => {
		expect(validateProfile({ full_name: ' ', agency_id: '', job_role: '' })).toEqual({
			ok: false,
			errors: {
				full_name: 'Enter your full name',
				agency_id: 'Select your agency',
				job_role: 'Enter your job role'
			}
		});
	});

	it('refuses characters that would make a name read as something else', () => {
		expect(
			validateProfile({ full_name: 'Jo \u202eSggolb', agency_id: agency, job_role: 'DSL\u0007' })
		).toEqual({
			ok: false,
			errors: {
				full_name: 'Full name must not contain control or text-direction characters',
				job_role: 'Job role must not contain control or text-direction characters'
			}
		});
		// right-to-left names are names: their letters and direction marks are fine
		expect(
			validateProfile({ full_name: 'مريم\u200f الحسن', agency_id: agency, job_role: 'DSL' }).ok
		).toBe(true);
	});

	it('refuses an over-long name and a malformed agency id', () => {
		const result = validateProfile({
			full_name: 'x'.repeat(201),
			agency_id: 'not-a-uuid',
			job_role: 'Nurse'
		});
		expect(result).toEqual({
			ok: false,
			errors: {
				full_name: 'Full name must be 200 characters or fewer',
				agency_id: 'Select your agency'
			}
		});
	});
});
