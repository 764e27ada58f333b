import * as v from 'valibot';
import { db, type Profile, type SignedInUser } from '$lib/data';
import { recordMutation, syncEngine } from '$lib/sync';

export const ProfileSchema = v.object({
	full_name: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Enter your full name'),
		v.maxLength(200, 'Full name must be 200 characters or fewer')
	),
	agency_id: v.pipe(v.string(), v.nonEmpty('Select your agency'), v.uuid('Select your agency')),
	job_role: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Enter your job role'),
		v.maxLength(200, 'Job role must be 200 characters or fewer')
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

export function profileIsComplete(profile: Profile | undefined) {
	return Boolean(profile?.full_name && profile.agency_id && profile.job_role);
}

/** Saves on the device at once and queues the change for the server (last writer wins). */
export async function saveProfile(user: SignedInUser, value: ProfileInput) {
	await recordMutation(db, {
		userId: user.id,
		name: 'profile.update',
		args: value,
		entity: 'profile',
		entityId: user.id,
		applyLocally: async () => {
			const current = await db.profiles.get(user.id);
			await db.profiles.put({ id: user.id, email: current?.email ?? user.email, ...value });
		}
	});
	void syncEngine.requestSync();
}
