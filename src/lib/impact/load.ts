import { db, getMeta, setMeta } from '$lib/data';
import { syncEngine } from '$lib/sync';
import type { ExportKind } from './exports';
import type { ImpactFilters, ImpactReport, ReachYears } from './report';

const LAST = 'impact-last-report';

export interface LoadedReport {
	report: ImpactReport;
	filters: ImpactFilters;
	fetchedAt: string;
	/** shown from the device because the server could not be reached */
	fromDevice: boolean;
}

/**
 * The report for these filters from the server; the last one viewed is kept on the device
 * so it stays readable offline (with a note of when and for what it was made).
 */
export async function loadReport(
	filters: ImpactFilters
): Promise<LoadedReport | { error: string }> {
	if (navigator.onLine) {
		try {
			const report = await syncEngine.call<ImpactReport>('impact_report', { p_filters: filters });
			const loaded = { report, filters, fetchedAt: new Date().toISOString(), fromDevice: false };
			await setMeta(db, LAST, loaded);
			return loaded;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (/Impact reports are for|from and to|Unknown|period/.test(message))
				return { error: message };
		}
	}
	const last = await getMeta<LoadedReport>(db, LAST);
	if (last) return { ...last, fromDevice: true };
	return { error: 'You are offline and no report has been viewed on this device yet.' };
}

export function exportRows(kind: ExportKind, filters: ImpactFilters) {
	return syncEngine.call<Record<string, unknown>[]>('impact_export', {
		p_kind: kind,
		p_filters: filters
	});
}

/** Reach beside the two years before, for the evidence pack. */
export function reachYears(filters: ImpactFilters) {
	return syncEngine.call<ReachYears>('impact_reach_years', { p_filters: filters });
}
