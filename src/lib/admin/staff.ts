import type { Profile, StaffRoles } from '$lib/data';

export type StaffRole = StaffRoles['roles'][number]['role'];

export const STAFF_ROLES = ['trainer', 'agency_lead', 'admin'] as const satisfies StaffRole[];

export const ROLE_LABELS: Record<StaffRole, string> = {
	trainer: 'Trainer',
	agency_lead: 'Agency lead',
	admin: 'Admin'
};

export interface StaffMember {
	profile: Profile;
	roles: { role: StaffRole; label: string }[];
}

/** What the grant form needs before it can be sent; field id → message. */
export function grantErrors(form: { email: string; role: StaffRole | undefined; agency: string }) {
	const errors: Record<string, string> = {};
	const email = form.email.trim();
	if (!email) errors['staff-email'] = 'Enter the email address of their account';
	else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
		errors['staff-email'] = 'Enter an email address in the right format, like name@example.org';
	if (!form.role) errors['staff-role-trainer'] = 'Choose the role to give them';
	else if (form.role === 'agency_lead' && !form.agency)
		errors['staff-agency'] = 'Choose the agency they lead';
	return errors;
}
