/**
 * Which links the header showed last time on this device. A return visit draws the same links,
 * unseen, in the same space until the device's database has answered, so the page does not
 * jump down when they arrive (layout shift). Only which links: nothing about the person.
 */
export interface NavShape {
	signedIn: boolean;
	teaches: boolean;
	staff: boolean;
}

const KEY = 'hscp.header-links';

export function rememberedNav(storage: Pick<Storage, 'getItem'> = localStorage): NavShape | null {
	try {
		const value: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
		if (typeof value !== 'object' || value === null) return null;
		const shape = value as Record<string, unknown>;
		if (typeof shape.signedIn !== 'boolean') return null;
		return {
			signedIn: shape.signedIn,
			teaches: shape.teaches === true,
			staff: shape.staff === true
		};
	} catch {
		return null;
	}
}

export function rememberNav(shape: NavShape, storage: Pick<Storage, 'setItem'> = localStorage) {
	try {
		storage.setItem(KEY, JSON.stringify(shape));
	} catch {
		// storage full or refused: the header may shift once, nothing else depends on it
	}
}
