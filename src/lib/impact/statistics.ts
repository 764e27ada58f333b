import wilcoxon from '@stdlib/stats-wilcoxon';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';

/**
 * Below MIN_N paired answers only counts are shown (how many improved, stayed the same or
 * dropped): no mean, interval, effect size or test, which would mislead at that size and
 * could describe one person. From MIN_N to below SMALL_N the statistics are shown, flagged
 * as resting on few people; "statistically significant" is claimed only from SMALL_N on.
 * One rule for the dashboard, the evidence pack and a trainer's session results.
 */
export const MIN_N = 5;
export const SMALL_N = 10;

/**
 * The report sends distributions as {"value": count}; a value is a whole-number change
 * ("2") or a person's total change over their number of ratings ("3/4"). Expanded here into
 * the list of paired differences the statistics need.
 */
export function expandCounts(counts: Record<string, number>): number[] {
	const values: number[] = [];
	for (const [key, count] of Object.entries(counts)) {
		const [top, bottom = '1'] = key.split('/');
		const value = Number(top) / Number(bottom);
		if (!Number.isFinite(value) || !Number.isInteger(count) || count < 0) {
			throw new Error(`Not a distribution entry: ${key} = ${count}`);
		}
		for (let i = 0; i < count; i++) values.push(value);
	}
	return values;
}

export interface PairedSummary {
	n: number;
	/** null below MIN_N */
	meanChange: number | null;
	/** 95% confidence interval of the mean change (t distribution); null below MIN_N or with no change at all */
	ci: [number, number] | null;
	/** paired effect size: mean change / standard deviation of changes (Cohen's dz) */
	effectSize: number | null;
	/** shares of the answers (0–1) */
	improved: number;
	same: number;
	dropped: number;
	/** and how many answers those are */
	counts: { improved: number; same: number; dropped: number };
	/** Wilcoxon signed-rank test, two-sided, zero differences dropped (Wilcoxon's method), continuity-corrected normal approximation when there are ties or zeros */
	wilcoxon: { statistic: number; pValue: number; method: string } | null;
	/** why a figure or the test is not shown, in words */
	note: string | null;
	/** fewer than MIN_N answers: counts only */
	countsOnly: boolean;
	/** fewer than SMALL_N answers: read with care, no claim of significance */
	smallN: boolean;
	/** the test's p below 0.05, with at least SMALL_N answers */
	significant: boolean;
}

/** What paired before/after ratings show: the change, its uncertainty, its size and its test. */
export function pairedSummary(changes: number[]): PairedSummary {
	const n = changes.length;
	const count = (test: (d: number) => boolean) => changes.filter(test).length;
	const counts = {
		improved: count((d) => d > 0),
		same: count((d) => d === 0),
		dropped: count((d) => d < 0)
	};
	const summary: PairedSummary = {
		n,
		meanChange: null,
		ci: null,
		effectSize: null,
		improved: n ? counts.improved / n : 0,
		same: n ? counts.same / n : 0,
		dropped: n ? counts.dropped / n : 0,
		counts,
		wilcoxon: null,
		note: null,
		countsOnly: n < MIN_N,
		smallN: n < SMALL_N,
		significant: false
	};
	if (n === 0) {
		summary.note = 'No answers';
		return summary;
	}
	if (n < MIN_N) {
		summary.note = `Fewer than ${MIN_N} answers: counts only`;
		return summary;
	}
	summary.meanChange = mean(changes);
	if (counts.same === n) {
		summary.note = 'No change: every answer the same before and after';
		return summary;
	}
	const sd = sampleStandardDeviation(changes);
	const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
	summary.ci = [summary.meanChange - half, summary.meanChange + half];
	summary.effectSize = sd > 0 ? summary.meanChange / sd : null;
	if (n - counts.same < 2) {
		summary.note = 'Fewer than two changed answers: no test';
		return summary;
	}
	const test = wilcoxon(changes, { zeroMethod: 'wilcox', correction: true });
	// a two-sided p is a probability: the continuity correction can push it past 1
	const pValue = Math.min(1, test.pValue);
	summary.wilcoxon = { statistic: test.statistic, pValue, method: test.method };
	summary.significant = n >= SMALL_N && pValue < 0.05;
	return summary;
}

/** "p < 0.001", "p = 0.012" */
export function formatP(p: number) {
	return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}
