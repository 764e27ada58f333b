import {
	AlignmentType,
	Document,
	Footer,
	Header,
	HeadingLevel,
	Packer,
	PageNumber,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType
} from 'docx';
import { methodBlocks } from './method';
import type { EvidencePack, PackSection, PackTable } from './pack';

/**
 * The evidence pack as a Word document (.docx), for a partnership to paste into its annual
 * report: real headings, bullet lists and tables (with header rows that repeat across
 * pages), A4 margins, the running header and page numbers. Loaded only when asked for.
 */
const FONT = 'Arial';
const text = (value: string, bold = false, size?: number) =>
	new TextRun({ text: value, bold, font: FONT, ...(size ? { size } : {}) });

function table(t: PackTable) {
	const row = (cells: string[], bold: boolean, header = false) =>
		new TableRow({
			tableHeader: header,
			cantSplit: true,
			children: cells.map(
				(value, i) =>
					new TableCell({
						children: [
							new Paragraph({
								alignment: t.numeric[i] ? AlignmentType.RIGHT : AlignmentType.LEFT,
								children: [text(value, bold || (i === 0 && !header), 18)]
							})
						]
					})
			)
		});
	const group = (title: string) =>
		new TableRow({
			cantSplit: true,
			children: [
				new TableCell({
					columnSpan: t.head.length,
					children: [new Paragraph({ keepNext: true, children: [text(title, true, 18)] })]
				})
			]
		});
	return [
		new Paragraph({
			keepNext: true,
			spacing: { before: 200, after: 80 },
			children: [text(t.caption, true)]
		}),
		new Table({
			width: { size: 100, type: WidthType.PERCENTAGE },
			rows: [
				row(t.head, true, true),
				...(t.rows.length
					? t.rows
					: [[`Nothing in this selection.`, ...t.head.slice(1).map(() => '')]]
				).map((r) => ('group' in r ? group(r.group) : row(r, false))),
				...(t.total ? [row(t.total, true)] : [])
			]
		})
	];
}

function section(s: PackSection, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) {
	return [
		new Paragraph({ heading: level, keepNext: true, children: [text(s.heading, true)] }),
		...s.paragraphs.map((p) => new Paragraph({ spacing: { after: 120 }, children: [text(p)] })),
		...(s.quotes ?? []).map(
			(q) =>
				new Paragraph({
					indent: { left: 400 },
					spacing: { after: 120 },
					children: [text(`“${q.text}”`), text(` (${q.course})`, false, 18)]
				})
		),
		...s.tables.flatMap(table),
		...(s.note
			? [new Paragraph({ spacing: { before: 120 }, children: [text(s.note, false, 18)] })]
			: [])
	];
}

export function packDocument(pack: EvidencePack): Promise<Blob> {
	const method = methodBlocks().map(
		(b) =>
			new Paragraph({
				...(b.kind === 'heading' ? { heading: HeadingLevel.HEADING_3, keepNext: true } : {}),
				...(b.kind === 'bullet' ? { bullet: { level: 0 } } : {}),
				spacing: { after: 100 },
				children: b.runs.map((r) => text(r.text, r.bold || b.kind === 'heading'))
			})
	);
	const doc = new Document({
		creator: 'HSCP Training',
		title: pack.title,
		description: pack.about.join(' '),
		styles: { default: { document: { run: { font: FONT, size: 22 } } } },
		sections: [
			{
				properties: {
					// A4, margins of 18 mm top and bottom and 16 mm each side (in twentieths of a point)
					page: {
						size: { width: 11906, height: 16838 },
						margin: { top: 1020, bottom: 1020, left: 907, right: 907 }
					}
				},
				headers: {
					default: new Header({
						children: [new Paragraph({ children: [text(pack.runningHeader, false, 18)] })]
					})
				},
				footers: {
					default: new Footer({
						children: [
							new Paragraph({
								alignment: AlignmentType.RIGHT,
								children: [
									new TextRun({
										font: FONT,
										size: 18,
										children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES]
									})
								]
							})
						]
					})
				},
				children: [
					new Paragraph({ children: [text(pack.caption, false, 24)] }),
					new Paragraph({ heading: HeadingLevel.TITLE, children: [text(pack.title, true, 40)] }),
					...pack.about.map(
						(line) => new Paragraph({ spacing: { after: 120 }, children: [text(line)] })
					),
					new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('Headlines', true)] }),
					...pack.headlines.map(
						(line) =>
							new Paragraph({
								bullet: { level: 0 },
								spacing: { after: 80 },
								children: [text(line)]
							})
					),
					...pack.main.flatMap((s) => section(s, HeadingLevel.HEADING_1)),
					new Paragraph({
						heading: HeadingLevel.HEADING_1,
						pageBreakBefore: true,
						children: [text('Appendix: the detail', true)]
					}),
					...pack.appendix.flatMap((s) => section(s, HeadingLevel.HEADING_2)),
					new Paragraph({
						heading: HeadingLevel.HEADING_2,
						keepNext: true,
						children: [text('E. How these figures are made', true)]
					}),
					...method
				]
			}
		]
	});
	return Packer.toBlob(doc);
}
