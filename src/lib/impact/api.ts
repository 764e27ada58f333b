import * as v from 'valibot';
import { db, getMeta, setMeta } from '$lib/data';
import { jsonArg } from '$lib/supabase';
import { SyncError, syncEngine } from '$lib/sync';
import type { ExportKind } from './exports';
import {
	ImpactReportSchema,
	ReachYearsSchema,
	type ImpactFilters,
	type ImpactReport
} from './report';

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
			const report = await syncEngine.call(
				'impact_report',
				{ p_filters: jsonArg(filters) },
				ImpactReportSchema
			);
			const loaded = { report, filters, fetchedAt: new Date().toISOString(), fromDevice: false };
			await setMeta(db, LAST, loaded);
			return loaded;
		} catch (error) {
			// refused (bad filters, not allowed): said in words for the user; else the device's copy
			if (error instanceof SyncError && error.kind === 'refused') return { error: error.message };
		}
	}
	const last = await getMeta<LoadedReport>(db, LAST);
	if (last) return { ...last, fromDevice: true };
	return { error: 'You are offline and no report has been viewed on this device yet.' };
}

export function exportRows(kind: ExportKind, filters: ImpactFilters) {
	return syncEngine.call(
		'impact_export',
		{ p_kind: kind, p_filters: jsonArg(filters) },
		v.array(v.record(v.string(), v.unknown()))
	);
}

/** Reach beside the two years before, for the evidence pack. */
export function reachYears(filters: ImpactFilters) {
	return syncEngine.call('impact_reach_years', { p_filters: jsonArg(filters) }, ReachYearsSchema);
}
