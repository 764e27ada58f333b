/**
 * What is wrong with an email address typed to sign in, before a code is sent; null when
 * nothing is. The shape GOV.UK Notify accepts (it sends the code), and the lengths an
 * address may have (RFC 5321: 64 characters before the @, 254 in all).
 */
export function emailProblem(typed: string): string | null {
	const address = typed.trim();
	if (!address) return 'Enter your email address';
	if (address.length > 254) return 'Email address must be 254 characters or fewer';
	const format = 'Enter an email address in the correct format, like name@example.org';
	const at = address.lastIndexOf('@');
	if (at < 1 || address.includes('..')) return format;
	const local = address.slice(0, at);
	const domain = address.slice(at + 1).toLowerCase();
	if (!/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local)) return format;
	if (local.length > 64) return 'The part before the @ must be 64 characters or fewer';
	const labels = domain.split('.');
	if (labels.length < 2 || domain.length > 253) return format;
	if (!labels.every((l) => l.length <= 63 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l)))
		return format;
	if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels.at(-1)!)) return format;
	return null;
}
