/**
 * Which copy a public page shows (docs/architecture.md, Layers): the device's once it has what the page shows,
 * or once it has synced without it (withdrawn since the build); the build's until then.
 * `undefined` while neither has answered.
 */
export function shownCopy<T>(
	device: T | undefined,
	built: T | undefined,
	has: (device: T) => boolean,
	synced: boolean
): T | undefined {
	if (device === undefined) return built;
	return has(device) || built === undefined || synced ? device : built;
}
