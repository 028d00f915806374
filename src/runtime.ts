/**
 * @fileoverview The runtime below the public API (the `tcxlab/runtime` subpath): the skb and the
 * test run's building blocks, helper and kfunc tables, map classes, the flow dissector, the mocked
 * world's parts, the verifier options an object's program gets. For tools built on tcxlab; test
 * authors use the root export (loadObject, Collection, testRun).
 */
export { buildTestRunSkb, createSkbRunState, finishTestRun, runSkbTestRun, ctxArg, skbPacketProvider, Skb } from './skb/index.js';
export { skbHelpers } from './helpers/skb.js';
export type { SkbEnv, SkbRunState, SkbDevice } from './skb/index.js';
export { buildHelperTable, implementedHelperIds } from './helpers/table.js';
export { VirtualClock, SeededRandom, defaultBaseState } from './helpers/base.js';
export type { BaseRunState } from './helpers/base.js';
export type { TimerFiring } from './helpers/timer.js';
export { resolveMockEnv, mockBaseState, mockSkbEnv } from './mock-env.js';
export type { ResolvedMockEnv } from './mock-env.js';
export { KFUNC_IMPLS, buildKfuncTable } from './kfuncs/index.js';
export { DEFAULT_FLOW_HASH_KEY, dissectFlowKeys, flowHashFromKeys, skbFlowHash } from './skb/flow-hash.js';
export type { FlowHashKey, FlowKeys } from './skb/flow-hash.js';
export * from './maps/index.js';
export { libbpfMapName, objectNameOf, pinnedMaps } from './collection.js';
export { TEST_RUN_VIRTUAL_NS } from './test-run.js';
export { verifierOptionsFor } from './verifier-env.js';
