/**
 * @fileoverview BPF test suites in objects (trf_* programs): discovery, runs, the TRF log they
 * write, reports (text, TAP, JUnit) and parity with the kernel. The `tcxlab/testsuite` subpath.
 */
export { runTestSuite, runTestCollection, discoverGroups, loadTestObject, TEST_FRAME_LEN, TEST_CTX_LEN } from './runner.js';
export type { SuiteRunOptions, SuiteRunResult, GroupResult, TestCaseResult, TestGroup, StepRecord } from './runner.js';
export { decodeSuiteResult, formatLog, outcomeOf, TRF_STATUS, TrfDecodeError } from './trf.js';
export type { SuiteResult, TrfLog, TrfTest, Outcome } from './trf.js';
export { formatText, formatTap, formatJunit } from './report.js';
export { compareWithKernel, compareGroup } from './parity.js';
export type { KernelRecord, KernelGroup, KernelStep, GroupParity } from './parity.js';
