const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** Capped exponential backoff with jitter: half the delay fixed, half random. */
export function backoffDelay(attempts: number, random: () => number = Math.random) {
	const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
	return delay / 2 + random() * (delay / 2);
}
