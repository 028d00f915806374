/**
 * @fileoverview Public API of tcxlab: what a test author needs (README "Library API"). Load an
 * object (loadObject → Collection with its Programs, Maps and Variables), run a program
 * (testRun results with retval, signed verdict and names), build and dissect packets, read and
 * write captures, attach to emulated devices on a Host (tcx links, classic tc), assert with the
 * matchers. The layers below are subpath exports: `tcxlab/vm` (ISA, interpreter, JIT, verifier),
 * `tcxlab/loader` (ELF → CollectionSpec), `tcxlab/net` (the whole emulated network and bpf(2)
 * layer), `tcxlab/runtime` (skb, helpers, kfuncs, map classes), `tcxlab/packet`, `tcxlab/pcap`,
 * `tcxlab/trace`, `tcxlab/testsuite`.
 */
// errors: BpfError and its subclasses, each with a stable `code`
export * from '../vm/errors.js';
// kernel constants with their uapi spelling (TC_ACT, TCX, BPF_*, ERRNO, ...)
// (vm/uapi.ts itself, values only: see there)
export * as uapi from '../vm/uapi.js';
// objects: Collection, its programs, maps and variables
export { Collection, UnsupportedProgramError } from './collection.js';
export type { CollectionOptions, LoadedProgram, RefusedProgram, VerifierWarning } from './collection.js';
export { Variable } from './variables.js';
export type { VariableValue, VariableValues, VariableOptions, DataKind } from './variables.js';
export type { BtfValue } from './btf-value.js';
export type { BpfMap, MapDump, DumpEntry, DumpOptions, HostValue, MapDefinition } from './maps/index.js';
export type { MapValue, MapsSnapshot, MapState, SnapshotOptions, MapDiff, DiffEntry, ChangedEntry } from './maps/index.js';
export { snapshotMaps, diffSnapshots } from './maps/index.js';
// runs: results typed for assertions (retval, signed verdict, verdict names, dataOut)
export { testRun } from './test-run.js';
export type { TestRunOptions, TestRunResult } from './test-run.js';
export { tcActName, tcActLabel, tcxRetName, tcxRetLabel } from './tc-verdict.js';
export type { MockEnv, MockRoute, MockNeighbour, MockSocket } from './mock-env.js';
// hosts, devices, tcx hooks and links, classic tc, scenarios, tcx-vs-classic comparison
export { Host, type HostOptions } from './net/host.js';
export { NetDevice, type DeviceKind } from './net/device.js';
export { ProgHandle } from './net/prog-handle.js';
export { BpfLink, type BpfLinkInfo } from './net/links.js';
export { TcxHook, type Direction, type TcxAttachOptions, type TcxDetachOptions, type TcxQueryResult, type TcxQueryEntry } from './net/tcx.js';
export type { SendOptions, LoadedObject } from './net/datapath.js';
export { formatNetTrace, type NetTrace, type TraceEvent, type HookEvent, type RedirectEvent, type XmitEvent, type Fate, type TcxRun } from './net/trace.js';
export { runScenario, ScenarioError, udpFrame, type ScenarioOptions, type ScenarioResult } from './net/scenario.js';
export { compare, compareScenario, type CompareOptions, type CompareResult, type ScenarioCompareResult, type FrameComparison, type PathOutcome, type Difference } from './net/compare.js';
// packets: builders and dissector; pcap / pcapng reading and writing
export * from './packet/index.js';
export * from './pcap/index.js';
// seeing inside a run: step traces and coverage
export { traceRun, formatStepTrace, CoverageCollector, formatLcov } from './trace/index.js';
export type { TraceRecord, TracedRun, TraceOptions, CoverageTotals, LcovOptions } from './trace/index.js';
// test authors: vitest/jest matchers and the packet diff they print
export { matchers, toHaveVerdict, toEqualPacket, diffPackets } from './testing/index.js';
export type { TcxlabMatchers, VerdictName, PacketDifference } from './testing/index.js';

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
