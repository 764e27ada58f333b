export { syncEngine, SyncEngine } from './engine.svelte';
export { recordMutation, deviceId } from './outbox';
export { sendSignInCode, verifySignInCode, SignInError } from './auth';
export type { SyncTransport, PullPage, MutationResult, MutationEnvelope } from './transport';
export { SyncError } from './transport';
