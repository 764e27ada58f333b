export { default as TrainingRecord } from './TrainingRecord.svelte';
export { default as AgencyStaff } from './AgencyStaff.svelte';
export { staffTrainingRecord } from './staff-api';
