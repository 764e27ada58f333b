import { saveFile } from '$lib/ui';
import type { TrainingRecord } from './api';
import { RECORD_COLUMNS, recordFileName, recordRows } from './record';

/** The record saved as a file: CSV for a spreadsheet, PDF to keep or print. Both made on the device. */
export async function saveRecordCsv(record: TrainingRecord) {
	const { toCsv } = await import('$lib/ui/csv');
	saveFile(`${recordFileName(record)}.csv`, toCsv(recordRows(record), RECORD_COLUMNS), 'text/csv');
}

export async function saveRecordPdf(record: TrainingRecord) {
	const { recordPdf } = await import('./record-pdf');
	const bytes = await recordPdf(record, { host: location.host });
	saveFile(`${recordFileName(record)}.pdf`, bytes as BlobPart, 'application/pdf');
}
