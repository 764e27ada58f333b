export { syncEngine, SyncEngine, type PullStep, type RpcCall } from './engine.svelte';
export { signedInView, session } from './views.svelte';
export { outboxOf } from './outbox-query';
export {
	defineMutation,
	describeChange,
	differingFields,
	type MutationDefinition
} from './mutation';
export { sendSignInCode, verifySignInCode, SignInError } from './auth';
export type { SyncTransport, PullPage, MutationResult, MutationEnvelope } from './transport';
export { SyncError } from './transport';
export { publicCall } from './anonymous-transport';
export { adminCall } from './admin';
export { inSyncTransaction, storeServerRows, type ServerRows } from './rebase';
