import { describe, expect, it } from 'vitest';
import { expandCounts, MIN_N, pairedSummary, SMALL_N } from './statistics';

/**
 * A second method for the Wilcoxon signed-rank test, written from the textbook: midranks
 * of |d| with zeros dropped, T+ = sum of positive ranks, normal approximation with the tie
 * correction and a continuity correction of 0.5 towards the mean; and, when there are no
 * ties and no zeros, the exact null distribution by enumerating all 2^n sign patterns.
 */
function referenceWilcoxon(changes: number[]) {
	const d = changes.filter((x) => x !== 0);
	const n = d.length;
	const sorted = d.map((x, i) => ({ a: Math.abs(x), i })).sort((p, q) => p.a - q.a);
	const ranks = new Array<number>(n);
	const ties: number[] = [];
	for (let i = 0; i < n;) {
		let j = i;
		while (j + 1 < n && sorted[j + 1]!.a === sorted[i]!.a) j++;
		for (let k = i; k <= j; k++) ranks[sorted[k]!.i] = (i + j + 2) / 2;
		if (j > i) ties.push(j - i + 1);
		i = j + 1;
	}
	const tPlus = d.reduce((sum, x, i) => sum + (x > 0 ? ranks[i]! : 0), 0);
	const mean = (n * (n + 1)) / 4;
	if (ties.length === 0 && n === changes.length && n <= 20) {
		let atMost = 0;
		let atLeast = 0;
		for (let mask = 0; mask < 2 ** n; mask++) {
			let t = 0;
			for (let r = 1; r <= n; r++) if (mask & (1 << (r - 1))) t += r;
			if (t <= tPlus) atMost++;
			if (t >= tPlus) atLeast++;
		}
		return { tPlus, p: Math.min(1, (2 * Math.min(atMost, atLeast)) / 2 ** n) };
	}
	const variance =
		(n * (n + 1) * (2 * n + 1)) / 24 - ties.reduce((s, t) => s + t * (t * t - 1), 0) / 48;
	const z = (tPlus - mean - 0.5 * Math.sign(tPlus - mean)) / Math.sqrt(variance);
	return { tPlus, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Standard normal CDF by numerical integration (Simpson), independent of any library. */
function normalCdf(z: number) {
	const steps = 20_000;
	const lo = -12;
	const h = (z - lo) / steps;
	const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
	let sum = f(lo) + f(z);
	for (let i = 1; i < steps; i++) sum += f(lo + i * h) * (i % 2 ? 4 : 2);
	return (sum * h) / 3;
}

describe('distributions from the report', () => {
	it('expand whole-number changes and per-person means', () => {
		expect(expandCounts({ '2': 2, '-1': 1 }).sort()).toEqual([-1, 2, 2]);
		expect(expandCounts({ '3/4': 2, '-2/2': 1 }).sort()).toEqual([-1, 0.75, 0.75]);
		expect(expandCounts({})).toEqual([]);
		expect(() => expandCounts({ x: 1 })).toThrow(/Not a distribution entry/);
	});
});

describe('paired before/after statistics', () => {
	it('a hand-worked example with ties and a zero difference', () => {
		// changes 2, 2, 0, 2, -1: the zero is dropped; |d| ranks: 1 → 1, the three 2s share rank 3
		// T+ = 9, mean 5, variance (4·5·9)/24 − 3·(9 − 1)/48 = 7.5 − 0.5 = 7, z = (9 − 5 − 0.5)/√7 = 1.3229
		const s = pairedSummary([2, 2, 0, 2, -1]);
		expect(s.n).toBe(5);
		expect(s.meanChange).toBeCloseTo(1, 10);
		expect(s.improved).toBeCloseTo(0.6);
		expect(s.same).toBeCloseTo(0.2);
		expect(s.dropped).toBeCloseTo(0.2);
		expect(s.wilcoxon!.statistic).toBe(9);
		expect(s.wilcoxon!.pValue).toBeCloseTo(0.18586, 4);
		// sd of (2, 2, 0, 2, −1) = √(8/4) = √2; t(0.975, 4) = 2.7764
		expect(s.effectSize).toBeCloseTo(1 / Math.sqrt(2), 4);
		expect(s.ci![0]).toBeCloseTo(1 - 2.776445 * (Math.sqrt(2) / Math.sqrt(5)), 4);
		expect(s.ci![1]).toBeCloseTo(1 + 2.776445 * (Math.sqrt(2) / Math.sqrt(5)), 4);
		expect(s.smallN).toBe(true);
	});

	it(`below ${MIN_N} answers gives the counts only: no mean, interval, effect size or test`, () => {
		for (const changes of [[-1], [1, 2], [2, 1, 0, 3]]) {
			const s = pairedSummary(changes);
			expect(s).toMatchObject({
				n: changes.length,
				meanChange: null,
				ci: null,
				effectSize: null,
				wilcoxon: null,
				countsOnly: true,
				significant: false,
				note: 'Fewer than 5 answers: counts only'
			});
		}
		expect(pairedSummary([2, 1, 0, 3]).counts).toEqual({ improved: 3, same: 1, dropped: 0 });
	});

	it('an exact p never above 1 (n = 3 with a correction once gave 1.25)', () => {
		// five answers, the smallest stated; symmetric changes put T+ at its mean
		const s = pairedSummary([1, -1, 2, -2, 0]);
		expect(s.wilcoxon!.pValue).toBeLessThanOrEqual(1);
		for (let n = MIN_N; n < 40; n++) {
			const changes = Array.from({ length: n }, (_, i) => (i % 3) - 1);
			const p = pairedSummary(changes).wilcoxon?.pValue;
			if (p !== undefined) expect(p).toBeLessThanOrEqual(1);
		}
	});

	it('every answer unchanged reads "no change": no interval of 0.00 to 0.00, no effect size or test', () => {
		const s = pairedSummary([0, 0, 0, 0, 0, 0]);
		expect(s).toMatchObject({
			meanChange: 0,
			ci: null,
			effectSize: null,
			wilcoxon: null,
			same: 1,
			significant: false
		});
		expect(s.note).toBe('No change: every answer the same before and after');
	});

	it(`is significant only with ${SMALL_N} or more answers`, () => {
		// nine people all up by one or two: p < 0.05, but too few to claim it
		const nine = pairedSummary([1, 1, 1, 2, 2, 1, 1, 2, 1]);
		expect(nine.wilcoxon!.pValue).toBeLessThan(0.05);
		expect(nine).toMatchObject({ smallN: true, significant: false });
		const ten = pairedSummary([1, 1, 1, 2, 2, 1, 1, 2, 1, 1]);
		expect(ten).toMatchObject({ smallN: false, significant: true });
	});

	it('nothing at all: no answers', () => {
		expect(pairedSummary([])).toMatchObject({ n: 0, meanChange: null, note: 'No answers' });
	});

	it('agrees with a second, textbook method on exact and approximate cases', () => {
		let seed = 7;
		const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		const cases: number[][] = [
			[1.5, -0.25, 2.75, 3.5, -1.75, 0.5, 4.25, 1.25], // no ties, no zeros: exact
			[1, 2, 3, 4, 5, 6, 7, -8, 9, 10] // exact
		];
		for (let c = 0; c < 20; c++) {
			cases.push(
				Array.from({ length: 12 + Math.floor(random() * 200) }, () => Math.floor(random() * 9) - 3)
			);
		}
		for (const changes of cases) {
			const ours = pairedSummary(changes).wilcoxon!;
			const reference = referenceWilcoxon(changes);
			expect(ours.statistic).toBeCloseTo(reference.tPlus, 9);
			expect(ours.pValue).toBeCloseTo(reference.p, 4);
		}
	});
});
