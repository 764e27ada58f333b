// Sends the pending emails of public.notifications through GOV.UK Notify, each exactly once.
//
// An email is claimed (status 'sending', committed) before it is sent and recorded after.
// If the sender dies in between, the email stays 'sending'; once that claim is old, the
// next run finds it "in doubt" and asks Notify for an email with its reference (the
// notification id) before sending: found, it is recorded as sent; not found, it is sent.
//
// What Notify answers decides the rest:
//   201           sent; Notify's id recorded
//   400           refused for this email (bad address, unknown template, trial mode):
//                 failed, with Notify's reason; an admin can correct and resend it
//   403           the API key or the clock is wrong, for every email: the run stops and
//                 the emails stay pending with the reason, to go once the key is fixed
//   429           rate or daily limit: the run stops, the emails wait and back off
//   5xx, network  Notify is unwell: the run stops, the emails wait and back off
// An email that keeps failing for a passing reason is given up after MAX_ATTEMPTS.

import { NotifyUnavailable, type NotifyApi, type NotifyError, type SendResult } from './notify.ts';

export type ClaimedEmail = {
	id: string;
	to_email: string;
	subject: string;
	body: string;
	attempts: number;
	/** claimed before by a run that did not record what happened */
	in_doubt: boolean;
};

/** The outbox's side: public.notifications through the sender's RPCs. */
export type EmailOutbox = {
	claim(limit: number): Promise<ClaimedEmail[]>;
	sent(id: string, notifyId: string): Promise<void>;
	failed(id: string, reason: string): Promise<void>;
	retryLater(id: string, reason: string, afterSeconds: number): Promise<void>;
};

export type DeliveryReport = {
	sent: number;
	/** in doubt, and found at Notify: recorded without sending again */
	recovered: number;
	failed: number;
	waiting: number;
	/** why the run stopped early, if it did */
	stopped: string | null;
};

export const MAX_ATTEMPTS = 8;

/** 1, 2, 4 … minutes after each failed attempt, at most an hour. */
export const backoffSeconds = (attempts: number) =>
	Math.min(60 * 2 ** Math.max(0, attempts - 1), 3600);

const describe = (status: number, errors: NotifyError[]) =>
	`Notify answered ${status}: ${errors.map((e) => `${e.error}: ${e.message}`).join('; ')}`;

export async function deliverEmails(
	outbox: EmailOutbox,
	notify: NotifyApi,
	{ templateId, limit = 50 }: { templateId: string; limit?: number }
): Promise<DeliveryReport> {
	const report: DeliveryReport = { sent: 0, recovered: 0, failed: 0, waiting: 0, stopped: null };
	const emails = await outbox.claim(limit);

	/** Puts this email and every one not yet tried back in the queue, and stops. */
	const stop = async (from: number, reason: string, transient: boolean) => {
		report.stopped = reason;
		for (const email of emails.slice(from)) {
			if (transient && email.attempts >= MAX_ATTEMPTS) {
				await outbox.failed(email.id, `Gave up after ${email.attempts} attempts. ${reason}`);
				report.failed++;
			} else {
				await outbox.retryLater(
					email.id,
					reason,
					transient ? backoffSeconds(email.attempts) : 15 * 60
				);
				report.waiting++;
			}
		}
	};

	for (const [index, email] of emails.entries()) {
		// Only Notify's failures are caught: if recording fails after Notify took the email,
		// the run dies and the email stays in doubt, to be looked up rather than sent again.
		let outcome: SendResult | { ok: true; id: string; recovered: true };
		try {
			const notifyId = email.in_doubt ? await notify.findByReference(email.id) : null;
			outcome = notifyId
				? { ok: true, id: notifyId, recovered: true }
				: await notify.sendEmail({
						email_address: email.to_email,
						template_id: templateId,
						personalisation: { subject: email.subject, body: email.body },
						reference: email.id
					});
		} catch (error) {
			if (!(error instanceof NotifyUnavailable) && !(error instanceof TypeError)) throw error;
			await stop(index, `Notify could not be reached: ${error.message}`, true);
			break;
		}
		if (outcome.ok) {
			await outbox.sent(email.id, outcome.id);
			if ('recovered' in outcome) report.recovered++;
			else report.sent++;
		} else if (outcome.status === 400) {
			await outbox.failed(email.id, describe(outcome.status, outcome.errors));
			report.failed++;
		} else {
			await stop(index, describe(outcome.status, outcome.errors), outcome.status !== 403);
			break;
		}
	}
	return report;
}
