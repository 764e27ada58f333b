import * as v from 'valibot';
import type { Profile } from '$lib/data';
import { defineMutation, syncEngine } from '$lib/sync';

/**
 * Control characters and the invisible marks that reorder text (bidirectional embeddings,
 * overrides, isolates): a name with them can read as something else on a register. The
 * server refuses them too (`checked_line`).
 */
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const ProfileSchema = v.object({
	full_name: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Enter your full name'),
		v.maxLength(200, 'Full name must be 200 characters or fewer'),
		v.check(
			(text) => !HIDDEN_CHARACTERS.test(text),
			'Full name must not contain control or text-direction characters'
		)
	),
	agency_id: v.pipe(v.string(), v.nonEmpty('Select your agency'), v.uuid('Select your agency')),
	job_role: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Enter your job role'),
		v.maxLength(200, 'Job role must be 200 characters or fewer'),
		v.check(
			(text) => !HIDDEN_CHARACTERS.test(text),
			'Job role must not contain control or text-direction characters'
		)
	)
});
export type ProfileInput = v.InferOutput<typeof ProfileSchema>;
export type ProfileField = keyof ProfileInput;

export type ProfileValidation =
	{ ok: true; value: ProfileInput } | { ok: false; errors: Partial<Record<ProfileField, string>> };

export function validateProfile(input: Record<ProfileField, string>): ProfileValidation {
	const result = v.safeParse(ProfileSchema, input, { abortPipeEarly: true });
	if (result.success) return { ok: true, value: result.output };
	const errors: Partial<Record<ProfileField, string>> = {};
	for (const issue of result.issues) {
		const field = issue.path?.[0]?.key as ProfileField | undefined;
		if (field && !errors[field]) errors[field] = issue.message;
	}
	return { ok: false, errors };
}

export function profileIsComplete(profile: Profile | null | undefined) {
	return Boolean(profile?.full_name && profile.agency_id && profile.job_role);
}

/** Name, agency and job role, sent whole each time: last writer wins (docs/architecture.md, sync guarantee 6). */
export const updateProfile = defineMutation<ProfileInput>({
	name: 'profile.update',
	entity: 'profile',
	entityId: (_, user) => user.id,
	applyLocally: async (database, args, user) => {
		const current = await database.profiles.get(user.id);
		await database.profiles.put({ id: user.id, email: current?.email ?? user.email, ...args });
	},
	describe: (args) => `Profile: ${args.full_name}, ${args.job_role}`
});

/** Saves on the device at once and queues the change for the server. */
export function saveProfile(value: ProfileInput) {
	return syncEngine.mutate(updateProfile, value);
}
