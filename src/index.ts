/**
 * @fileoverview Public API of tcxlab.
 */
export * from '../vm/errors.js';
export * as isa from '../vm/isa.js';
export { Memory } from '../vm/memory.js';
export type { Region, CtxAccess } from '../vm/memory.js';
export { decode, encode } from '../vm/program.js';
export type { DecodedProgram, LinkedProgram, HelperFn, HelperCall, RunOptions, RunResult } from '../vm/program.js';
// vm: linking, engines, shared semantics
export { link } from '../vm/link.js';
export type { LinkOptions } from '../vm/link.js';
export { interpret, newRegisterFile, VmRunResult } from '../vm/interpreter.js';
export { runProgram, ENGINES } from '../vm/engine.js';
export type { Engine } from '../vm/engine.js';
export * as semantics from '../vm/semantics.js';
export type { RegisterFile, HelperTable, LdImm64Resolver, PacketProvider, StepHook } from '../vm/program.js';
// net: hosts (netns), devices, tcx hooks (bpf_mprog), tcx links, raw bpf(2) layer
export * from './net/index.js';
// loader: bytes -> CollectionSpec
export { loadCollectionSpec } from '../loader/index.js';
export type { CollectionSpec, ProgramSpec, MapSpec, LineInfo, Unsupported, VariableSpec } from '../loader/spec.js';
// runtime: collections, test runs, maps, skb, helpers
export { Collection, libbpfMapName, objectNameOf, pinnedMaps, UnsupportedProgramError } from './collection.js';
export type { CollectionOptions, LoadedProgram, RefusedProgram, VerifierWarning } from './collection.js';
export { Variable } from './variables.js';
export type { VariableValue, VariableValues, VariableOptions, DataKind } from './variables.js';
export type { BtfValue } from './btf-value.js';
export { testRun, TEST_RUN_VIRTUAL_NS } from './test-run.js';
export type { TestRunOptions, TestRunResult } from './test-run.js';
export * from './maps/index.js';
export { buildTestRunSkb, createSkbRunState, finishTestRun, Skb } from './skb/index.js';
export type { SkbEnv, SkbRunState, SkbDevice } from './skb/index.js';
export { buildHelperTable, implementedHelperIds } from './helpers/table.js';
export { VirtualClock, SeededRandom, defaultBaseState } from './helpers/base.js';
export type { BaseRunState } from './helpers/base.js';
export { resolveMockEnv, mockBaseState, mockSkbEnv } from './mock-env.js';
export type { MockEnv, MockRoute, MockNeighbour, MockSocket, ResolvedMockEnv } from './mock-env.js';
export type { TimerFiring } from './helpers/timer.js';
// kfuncs: the records (vm/kfuncs.ts) and their implementations
export { KFUNC_RECORDS, KFUNCS_BY_NAME, KFUNCS_BY_ID, KF, kfuncCallRefusal } from '../vm/kfuncs.js';
export type { KfuncRecord, KfuncArg, KfuncRet, KfuncProto } from '../vm/kfuncs.js';
export { KFUNC_IMPLS, buildKfuncTable } from './kfuncs/index.js';
// skb->hash: the kernel's flow dissector and SipHash, with a settable key
export { DEFAULT_FLOW_HASH_KEY, dissectFlowKeys, flowHashFromKeys, skbFlowHash } from './skb/flow-hash.js';
export type { FlowHashKey, FlowKeys } from './skb/flow-hash.js';
export * as uapi from './uapi.js';

import { readFileSync } from 'node:fs';
import { Collection as C, objectNameOf as objName, type CollectionOptions as CO } from './collection.js';

/**
 * Load a BPF object from a path or bytes into a live Collection (maps created, programs linked).
 * Like `tcxlab run`, executable sections whose name libbpf does not know are sched_cls programs
 * unless `opts.programType` says otherwise, so the library and the CLI load the same programs.
 */
export function loadObject(source: string | Uint8Array, opts: CO = {}): C {
  const bytes = typeof source === 'string' ? new Uint8Array(readFileSync(source)) : source;
  return C.load(bytes, { objectName: typeof source === 'string' ? objName(source) : undefined, ...opts, programType: opts.programType ?? 'sched_cls' });
}
// text forms, helper ids, verifier
export { assemble, assembleProgram, asm } from '../vm/asm.js';
export { disassemble, formatConformance } from '../vm/disasm.js';
export { verify } from '../vm/verifier/index.js';
export type { VerifierOptions, VerifierResult } from '../vm/verifier/index.js';
export { HELPER_IDS, helperName, helperId } from '../vm/helpers.js';
export {
  traceRun,
  TraceRecorder,
  formatTrace as formatStepTrace,
  formatRecord,
  CoverageCollector,
  ProgramCoverage,
  formatSummary as formatCoverageSummary,
  formatAnnotated as formatCoverageAnnotated,
  formatLcov,
  SourceMap,
} from './trace/index.js';
export type { TraceRecord, TracedRun, TraceOptions, CoverageTotals, LcovOptions } from './trace/index.js';
// packets: builders and dissector; pcap / pcapng reading and writing
export * from './packet/index.js';
export * from './pcap/index.js';
export { runTestSuite, runTestCollection, discoverGroups, loadTestObject, TEST_FRAME_LEN, TEST_CTX_LEN } from './testsuite/runner.js';
export type { SuiteRunOptions, SuiteRunResult, GroupResult, TestCaseResult, TestGroup, StepRecord } from './testsuite/runner.js';
export { decodeSuiteResult, formatLog, outcomeOf, TRF_STATUS, TrfDecodeError } from './testsuite/trf.js';
export type { SuiteResult, TrfLog, TrfTest, Outcome } from './testsuite/trf.js';
export { formatText as formatTestText, formatTap, formatJunit } from './testsuite/report.js';
export { compareWithKernel, compareGroup } from './testsuite/parity.js';
export type { KernelRecord, KernelGroup, KernelStep, GroupParity } from './testsuite/parity.js';
// test authors: vitest/jest matchers and the packet diff they print
export { matchers, toHaveVerdict, toEqualPacket, diffPackets } from './testing/index.js';
export type { TcxlabMatchers, VerdictName, PacketDifference } from './testing/index.js';
