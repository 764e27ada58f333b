export { getSupabase } from './client';
export { answerSchema, callRpc, jsonArg, type RpcCall, type RpcName, type RpcArgs } from './rpc';
export { SyncError, checkedReply, failureKind, type FailureKind } from './errors';
