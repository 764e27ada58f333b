/** Saves text as a file the user downloads (used for exports of unsynced changes). */
export function downloadText(filename: string, text: string, type = 'application/json') {
	const link = document.createElement('a');
	link.href = URL.createObjectURL(new Blob([text], { type }));
	link.download = filename;
	link.click();
	setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

export function unsyncedExportName(now = new Date()) {
	return `hscp-training-unsynced-changes-${now.toISOString().slice(0, 10)}.json`;
}
