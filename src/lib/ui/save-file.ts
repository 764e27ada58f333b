/** Hands the browser a file to save: exports, calendar files, certificates. */
export function saveFile(filename: string, data: BlobPart, type: string) {
	const link = document.createElement('a');
	link.href = URL.createObjectURL(new Blob([data], { type }));
	link.download = filename;
	link.click();
	// long enough for a slow device to start the download before the address goes
	setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
