export { appUpdate } from './app-update.svelte';
