export interface WebinarDraft {
	title: string;
	summary: string;
	starts: string;
	joinUrl: string;
	/** one learning outcome per line */
	outcomes: string;
}

export interface WebinarWednesdayDraft {
	date: string;
	theme: string;
	capacity: string;
	webinars: WebinarDraft[];
}

export function emptyWebinarWednesday(): WebinarWednesdayDraft {
	return {
		date: '',
		theme: '',
		capacity: '100',
		webinars: ['09:30', '12:30', '15:00'].map((starts) => ({
			title: '',
			summary: '',
			starts,
			joinUrl: '',
			outcomes: ''
		}))
	};
}

/** Problems the form can see before asking the server, keyed by field id. */
export function checkWebinarWednesday(draft: WebinarWednesdayDraft): Record<string, string> {
	const errors: Record<string, string> = {};
	if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) errors.date = 'Enter the date of the Wednesday';
	else if (new Date(`${draft.date}T12:00:00Z`).getUTCDay() !== 3)
		errors.date = 'Choose a Wednesday';
	if (!draft.theme.trim()) errors.theme = 'Enter the theme of the day';
	const capacity = Number(draft.capacity);
	if (!Number.isInteger(capacity) || capacity < 1)
		errors.capacity = 'Enter a capacity of 1 or more';
	draft.webinars.forEach((w, i) => {
		const n = i + 1;
		if (!w.title.trim()) errors[`title-${n}`] = `Enter the title of webinar ${n}`;
		if (w.summary.trim().length < 10)
			errors[`summary-${n}`] = `Enter a summary of webinar ${n} (10 characters or more)`;
		if (!/^\d{2}:\d{2}$/.test(w.starts))
			errors[`starts-${n}`] = `Enter the start time of webinar ${n}`;
		if (!/^https:\/\//.test(w.joinUrl.trim()))
			errors[`join-${n}`] = `Enter the joining link of webinar ${n}, starting https://`;
		if (!w.outcomes.trim())
			errors[`outcomes-${n}`] = `Enter at least one learning outcome for webinar ${n}`;
	});
	return errors;
}

/** The arguments of admin_create_webinar_wednesday. */
export function webinarWednesdayArgs(draft: WebinarWednesdayDraft) {
	return {
		p_date: draft.date,
		p_theme: draft.theme.trim(),
		p_capacity: Number(draft.capacity),
		p_webinars: draft.webinars.map((w) => ({
			title: w.title.trim(),
			summary: w.summary.trim(),
			starts: w.starts,
			join_url: w.joinUrl.trim(),
			outcomes: w.outcomes
				.split('\n')
				.map((line) => line.trim())
				.filter(Boolean)
		}))
	};
}
