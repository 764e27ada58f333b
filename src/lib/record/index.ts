export { default as TrainingRecord } from './TrainingRecord.svelte';
