import type {
	AttendanceEvent,
	AttendanceStatus,
	OfflineCheckIn,
	Register,
	RegisterAttendee,
	WalkIn
} from '$lib/data';

export const STATUSES: { value: AttendanceStatus; label: string }[] = [
	{ value: 'present', label: 'Present' },
	{ value: 'late', label: 'Late' },
	{ value: 'left_early', label: 'Left early' },
	{ value: 'absent', label: 'Absent' },
	{ value: 'excused', label: 'Apologies' }
];

export function statusLabel(status: AttendanceStatus | null) {
	return STATUSES.find((s) => s.value === status)?.label ?? 'Not marked';
}

/** One line of the register: a booking or a walk-in, with where its marks stand. */
export interface RegisterLine {
	key: string;
	booking_id: string | null;
	walk_in_id: string | null;
	full_name: string;
	email: string | null;
	agency: string | null;
	/** null for walk-ins */
	booking_status: RegisterAttendee['booking_status'] | null;
	/** what they answered to the questions at booking (walk-ins were not asked) */
	answers: NonNullable<RegisterAttendee['answers']>;
	/** the latest of the current marks; null when nobody has marked them */
	status: AttendanceStatus | null;
	/** marked absent by closing the register, with no mark from a person */
	noShow: boolean;
	/** current marks (nobody superseded them) that a trainer made or the attendee checked in with */
	heads: AttendanceEvent[];
	/** two devices marked differently without seeing each other */
	conflict: boolean;
	/** every current mark, no-shows included: what a new mark supersedes */
	current: string[];
	/**
	 * their check-in reached the server after its code expired and nobody has decided it;
	 * shown while the register does not already say they came
	 */
	awaiting: OfflineCheckIn | null;
}

/**
 * Where each attendee stands (docs/architecture.md, sync guarantee 6): the current marks are those no other mark
 * supersedes; the status is the latest of them by marked_at; if they disagree the line is
 * in conflict until someone marks again. Marks made by closing the register (no-shows)
 * give way to any mark a person made.
 */
export function registerLines(
	register: Pick<Register, 'attendees' | 'offline_checkins'>,
	walkIns: WalkIn[],
	events: AttendanceEvent[]
): RegisterLine[] {
	const superseded = new Set(events.flatMap((e) => e.supersedes));
	const decided = new Set(events.map((e) => e.checkin_id).filter(Boolean));
	const awaiting = new Map(
		(register.offline_checkins ?? [])
			.filter((c) => !decided.has(c.id))
			.map((c) => [c.booking_id ?? `walk-in:${c.walk_in_id}`, c])
	);
	const byAttendee = new Map<string, AttendanceEvent[]>();
	for (const event of events) {
		if (superseded.has(event.id)) continue;
		const key = event.booking_id ?? `walk-in:${event.walk_in_id}`;
		const list = byAttendee.get(key);
		if (list) list.push(event);
		else byAttendee.set(key, [event]);
	}
	const line = (
		key: string,
		base: Omit<
			RegisterLine,
			'key' | 'status' | 'noShow' | 'heads' | 'conflict' | 'current' | 'awaiting'
		>
	): RegisterLine => {
		const all = byAttendee.get(key) ?? [];
		const heads = all
			.filter((e) => e.source !== 'closure')
			.sort((a, b) => b.marked_at.localeCompare(a.marked_at) || b.id.localeCompare(a.id));
		// nothing a person marked stands (no mark, or the latest cleared one) and the register
		// was closed: a no-show
		const noShow = (heads[0]?.status ?? null) === null && all.some((e) => e.source === 'closure');
		const status = heads[0]?.status ?? (noShow ? 'absent' : null);
		const conflict = new Set(heads.map((h) => h.status)).size > 1;
		const came =
			!conflict && (status === 'present' || status === 'late' || status === 'left_early');
		return {
			key,
			...base,
			heads,
			status,
			noShow,
			conflict,
			current: all.map((e) => e.id),
			awaiting: came ? null : (awaiting.get(key) ?? null)
		};
	};
	return [
		...register.attendees.map((a) =>
			line(a.booking_id, {
				booking_id: a.booking_id,
				walk_in_id: null,
				full_name: a.full_name,
				email: a.email,
				agency: a.agency,
				booking_status: a.booking_status,
				answers: a.answers ?? []
			})
		),
		...walkIns.map((w) =>
			line(`walk-in:${w.id}`, {
				booking_id: null,
				walk_in_id: w.id,
				full_name: w.full_name,
				email: w.email,
				agency: w.agency_name,
				booking_status: null,
				answers: []
			})
		)
	];
}

export type RegisterCounts = Record<
	AttendanceStatus | 'unmarked' | 'conflicts' | 'awaiting',
	number
>;

export function registerCounts(lines: RegisterLine[]): RegisterCounts {
	const counts: RegisterCounts = {
		present: 0,
		late: 0,
		left_early: 0,
		absent: 0,
		excused: 0,
		unmarked: 0,
		conflicts: 0,
		awaiting: 0
	};
	for (const l of lines) {
		if (l.booking_status && l.booking_status !== 'confirmed' && l.status === null && !l.awaiting)
			continue;
		// marks from two devices that disagree are counted apart, as neither, until decided;
		// so is an offline check-in nobody has confirmed, unless a person marked them
		if (l.conflict) counts.conflicts++;
		else if (l.awaiting && (l.status === null || l.noShow)) counts.awaiting++;
		else counts[l.status ?? 'unmarked']++;
	}
	return counts;
}

/** Case- and accent-insensitive search over name, email and agency. */
export function searchLines(lines: RegisterLine[], query: string) {
	const q = fold(query.trim());
	if (!q) return lines;
	return lines.filter((l) => fold(`${l.full_name} ${l.email ?? ''} ${l.agency ?? ''}`).includes(q));
}

function fold(text: string) {
	return text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase();
}
