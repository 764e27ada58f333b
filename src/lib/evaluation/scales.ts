/** The labelled 1–5 scales the forms use (the numbers are what is stored). */
export const CONFIDENCE = [
	{ value: 1, label: 'Not at all confident' },
	{ value: 2, label: 'Slightly confident' },
	{ value: 3, label: 'Moderately confident' },
	{ value: 4, label: 'Very confident' },
	{ value: 5, label: 'Extremely confident' }
] as const;

export const USEFULNESS = [
	{ value: 1, label: 'Not useful' },
	{ value: 2, label: 'Slightly useful' },
	{ value: 3, label: 'Moderately useful' },
	{ value: 4, label: 'Very useful' },
	{ value: 5, label: 'Extremely useful' }
] as const;

export const APPLIED = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'partly', label: 'Partly' },
	{ value: 'no', label: 'Not yet' }
] as const;

export function scaleLabel(scale: readonly { value: number; label: string }[], value: number) {
	return scale.find((s) => s.value === value)?.label ?? String(value);
}
