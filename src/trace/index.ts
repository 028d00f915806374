/**
 * @fileoverview Seeing inside execution: per-instruction traces (`traceRun`, `TraceRecorder`)
 * and coverage accumulated over runs (`CoverageCollector` with text, annotated-source and LCOV
 * exporters). Both are built on the VM's step hook; runs without one pay nothing.
 */
export { SourceMap, shortLocation } from './source-map.js';
export { ProgramTracker, tracedProgram } from './program-tracker.js';
export type { TracedProgram, TailCallSwitch } from './program-tracker.js';
export { TraceRecorder, traceRun, formatStepTrace, formatRecord, writtenRegs, isConditionalJump } from './step-trace.js';
export type { TraceRecord, TraceOptions, TracedRun } from './step-trace.js';
export { CoverageCollector, ProgramCoverage, totals, formatSummary, formatAnnotated, formatLcov } from './coverage.js';
export type { CoverageTotals, LineCount, LcovOptions } from './coverage.js';
