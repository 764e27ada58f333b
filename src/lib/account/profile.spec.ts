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
