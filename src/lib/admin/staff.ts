import type { Agency, Profile, StaffRoles, TrainingDatabase } from '$lib/data';

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

/** Everyone holding a staff role, by name, each role with its agency where it has one. */
export async function staffMembers(database: TrainingDatabase): Promise<StaffMember[]> {
	const [holders, agencies] = await Promise.all([
		database.staffRoles.toArray(),
		database.agencies.toArray()
	]);
	const agencyName = new Map(agencies.map((a: Agency) => [a.id, a.name]));
	const profiles = await database.profiles.bulkGet(holders.map((h) => h.id));
	return holders
		.flatMap((h, i) => {
			const profile = profiles[i];
			if (!profile || h.roles.length === 0) return [];
			const roles = h.roles.map((r) => ({
				role: r.role,
				label:
					r.role === 'agency_lead'
						? `Agency lead, ${agencyName.get(r.agency_id ?? '') ?? 'an agency'}`
						: ROLE_LABELS[r.role]
			}));
			return [{ profile, roles }];
		})
		.sort((a, b) =>
			(a.profile.full_name ?? a.profile.email).localeCompare(
				b.profile.full_name ?? b.profile.email,
				'en-GB'
			)
		);
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
