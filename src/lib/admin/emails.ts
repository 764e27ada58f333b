import { adminCall } from '$lib/sync';

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One email of the outbox as the admins' Emails screen shows it (no body). */
export interface OutboxEmail {
	id: string;
	to_email: string;
	kind: string;
	subject: string;
	status: EmailStatus;
	created_at: string;
	sent_at: string | null;
	error: string | null;
	attempts: number;
	next_attempt_at: string;
}

export interface EmailsOverview {
	counts: Record<EmailStatus, number>;
	emails: OutboxEmail[];
}

/** In the order the screen lists them: what needs an admin first. */
export const EMAIL_STATUSES: { value: EmailStatus; label: string }[] = [
	{ value: 'failed', label: 'Failed' },
	{ value: 'pending', label: 'Waiting to be sent' },
	{ value: 'sending', label: 'Being sent' },
	{ value: 'sent', label: 'Sent' }
];

export const statusLabel = (status: EmailStatus) =>
	EMAIL_STATUSES.find((s) => s.value === status)?.label ?? status;

export function loadEmails(status: EmailStatus | '') {
	return adminCall<EmailsOverview>('admin_emails', { p_status: status || null });
}

export function resendEmail(id: string) {
	return adminCall<{ id: string; status: EmailStatus; to_email: string }>('admin_resend_email', {
		p_id: id
	});
}
