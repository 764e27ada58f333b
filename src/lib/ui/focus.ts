/**
 * After a move to another page: focus goes to the new page's main heading, so a screen
 * reader announces where the user now is and the next Tab continues from there (GOV.UK's
 * advice for single-page apps). A page still loading its data has no heading yet: focus
 * waits on the main region, and moves to the heading when it renders, unless the user has
 * moved on in the meantime.
 */
export function focusPageHeading(waitMs = 3000) {
	const main = document.getElementById('main-content');
	if (!main) return;
	const placed = () => {
		const heading = main.querySelector<HTMLElement>('h1');
		if (!heading) return false;
		if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
		heading.focus({ preventScroll: true });
		return true;
	};
	if (placed()) return;
	main.focus({ preventScroll: true });
	const observer = new MutationObserver(() => {
		if (document.activeElement !== main || placed()) observer.disconnect();
	});
	observer.observe(main, { childList: true, subtree: true });
	setTimeout(() => observer.disconnect(), waitMs);
}
