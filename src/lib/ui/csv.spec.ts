import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cell, toCsv } from './csv';

describe('CSV exports', () => {
	it('open in Excel: byte-order mark, CRLF, quoted commas and quotes, UK dates', () => {
		const text = toCsv(
			[{ course: 'Neglect, "advanced"', when: '2025-06-11T09:00:00+00:00', booked: true, n: 3 }],
			[
				{ key: 'course', label: 'Course' },
				{ key: 'when', label: 'Session' },
				{ key: 'booked', label: 'Booked' },
				{ key: 'n', label: 'Number' }
			]
		);
		expect(text.startsWith('\uFEFFCourse,Session,Booked,Number\r\n')).toBe(true);
		const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
		expect(parsed[1]).toEqual(['Neglect, "advanced"', '11/06/2025 10:00', 'Yes', '3']);
	});

	it('never lets a cell start a spreadsheet formula', () => {
		for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
			expect(cell(evil).startsWith("'")).toBe(true);
		}
		expect(cell('Safe text')).toBe('Safe text');
		expect(cell(null)).toBe('');
		expect(cell(-1)).toBe('-1'); // a number is a number, not a formula
		expect(cell('-1')).toBe("'-1");
	});
});
