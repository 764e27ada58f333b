import wilcoxon from '@stdlib/stats-wilcoxon';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';

/** Below this many paired answers a figure is shown but marked as resting on few people. */
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
	meanChange: number | null;
	/** 95% confidence interval of the mean change (t distribution); null below n = 2 */
	ci: [number, number] | null;
	/** paired effect size: mean change / standard deviation of changes (Cohen's dz) */
	effectSize: number | null;
	improved: number;
	same: number;
	dropped: number;
	/** Wilcoxon signed-rank test, two-sided, zero differences dropped (Wilcoxon's method), continuity-corrected normal approximation when there are ties or zeros */
	wilcoxon: { statistic: number; pValue: number; method: string } | null;
	/** why a test could not be run, in words */
	note: string | null;
	smallN: boolean;
}

/** What paired before/after ratings show: the change, its uncertainty, its size and its test. */
export function pairedSummary(changes: number[]): PairedSummary {
	const n = changes.length;
	const share = (test: (d: number) => boolean) => (n ? changes.filter(test).length / n : 0);
	const summary: PairedSummary = {
		n,
		meanChange: n ? mean(changes) : null,
		ci: null,
		effectSize: null,
		improved: share((d) => d > 0),
		same: share((d) => d === 0),
		dropped: share((d) => d < 0),
		wilcoxon: null,
		note: null,
		smallN: n < SMALL_N
	};
	if (n < 2) {
		summary.note = n === 0 ? 'No answers' : 'Only one answer: no interval or test';
		return summary;
	}
	const sd = sampleStandardDeviation(changes);
	const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
	summary.ci = [summary.meanChange! - half, summary.meanChange! + half];
	summary.effectSize = sd > 0 ? summary.meanChange! / sd : null;
	if (changes.every((d) => d === 0)) {
		summary.note = 'Every answer unchanged: no test';
		return summary;
	}
	if (changes.filter((d) => d !== 0).length < 2) {
		summary.note = 'Fewer than two changed answers: no test';
		return summary;
	}
	const test = wilcoxon(changes, { zeroMethod: 'wilcox', correction: true });
	summary.wilcoxon = { statistic: test.statistic, pValue: test.pValue, method: test.method };
	return summary;
}

/** "p < 0.001", "p = 0.012" */
export function formatP(p: number) {
	return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}
