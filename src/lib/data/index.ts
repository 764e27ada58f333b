export { db, tableFor, getMeta, setMeta, TrainingDatabase } from './db';
export type * from './types';
export { liveRows } from './live.svelte';
