import * as v from 'valibot';
import { publicCall, SyncError } from '$lib/sync';

/** Checking a certificate's reference with the server, for anyone (no sign-in). */

const CheckedSchema = v.nullable(
	v.object({
		reference: v.string(),
		name: v.string(),
		course: v.string(),
		starts_at: v.string(),
		learning_minutes: v.number()
	})
);
export type CheckedCertificate = NonNullable<v.InferOutput<typeof CheckedSchema>>;

export type CheckResult =
	{ found: CheckedCertificate } | { notFound: string } | { invalid: string } | { error: string };

export const REFERENCE_SHAPE = '12 letters and numbers, like 7K3M-Q9XD-2RTA';

/**
 * A reference as someone typed it, in the form printed: any case, spaces and hyphens
 * ignored, O read as 0 and I or L as 1 (the server reads it the same way). Null when it
 * cannot be a reference.
 */
export function normalisedReference(typed: string) {
	const plain = typed.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
	return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(plain)
		? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`
		: null;
}

export async function checkCertificate(typed: string): Promise<CheckResult> {
	const reference = normalisedReference(typed);
	if (!reference) return { invalid: `Enter the reference as printed: ${REFERENCE_SHAPE}` };
	if (!navigator.onLine)
		return { error: 'You are offline. Checking a certificate needs a connection.' };
	try {
		const found = await publicCall('verify_certificate', { p_reference: reference }, CheckedSchema);
		return found ? { found } : { notFound: reference };
	} catch (error) {
		if (error instanceof SyncError && error.code === '22023') return { invalid: error.message };
		return {
			error: `The certificate could not be checked (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`
		};
	}
}
