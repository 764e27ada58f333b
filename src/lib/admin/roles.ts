import type { StaffRoles } from '$lib/data';

export function isAdmin(roles: StaffRoles | undefined | null) {
	return Boolean(roles?.roles.some((r) => r.role === 'admin'));
}
