import * as v from 'valibot';

export const EmailStatusSchema = v.picklist(['pending', 'sending', 'sent', 'failed']);
export type EmailStatus = v.InferOutput<typeof EmailStatusSchema>;

/** One email of the outbox as the admins' Emails screen shows it (no body). */
const OutboxEmailSchema = v.object({
	id: v.string(),
	to_email: v.string(),
	kind: v.string(),
	subject: v.string(),
	status: EmailStatusSchema,
	created_at: v.string(),
	sent_at: v.nullable(v.string()),
	error: v.nullable(v.string()),
	attempts: v.number(),
	next_attempt_at: v.string()
});
export type OutboxEmail = v.InferOutput<typeof OutboxEmailSchema>;

export const EmailsOverviewSchema = v.object({
	counts: v.object({
		pending: v.number(),
		sending: v.number(),
		sent: v.number(),
		failed: v.number()
	}),
	emails: v.array(OutboxEmailSchema)
});
export type EmailsOverview = v.InferOutput<typeof EmailsOverviewSchema>;

/** In the order the screen lists them: what needs an admin first. */
export const EMAIL_STATUSES: { value: EmailStatus; label: string }[] = [
	{ value: 'failed', label: 'Failed' },
	{ value: 'pending', label: 'Waiting to be sent' },
	{ value: 'sending', label: 'Being sent' },
	{ value: 'sent', label: 'Sent' }
];

export const statusLabel = (status: EmailStatus) =>
	EMAIL_STATUSES.find((s) => s.value === status)?.label ?? status;
