/**
 * @fileoverview Matchers for vitest and jest: `expect.extend(matchers)`, then
 * `expect(result).toHaveVerdict('TC_ACT_SHOT')` and `expect(result).toEqualPacket(frame)`.
 *
 * They follow the `expect.extend` contract both runners share (a function of `(received,
 * ...args)` called with `this.isNot`, returning `{ pass, message }`) and import neither runner,
 * so the library has no test runner dependency. Types for vitest: src/testing/vitest.ts.
 *
 * Verdict names are the uapi's (vm/uapi.ts TC_ACT and TCX) and are shown as the rest of tcxlab
 * shows them (src/net/trace.ts).
 */
import { BpfError, ErrorCode } from '../../vm/errors.js';
import { TC_ACT, TCX } from '../../vm/uapi.js';
import { tcActLabel, tcxRetLabel, tcxRetName } from '../tc-verdict.js';
import { diffPackets } from './packet-diff.js';
import { isBytes } from '../maps/bytes.js';

/** A TC_ACT_* or TCX_* name of vm/uapi.ts. */
export type VerdictName = keyof typeof TC_ACT | keyof typeof TCX;

/** What the matchers are called with by vitest and jest (only what they use). */
export interface MatcherContext {
  isNot?: boolean;
}
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The matchers' signatures as a test author sees them (for the runners' type augmentation). */
export interface TcxlabMatchers<R = unknown> {
  /**
   * The run's verdict is `v`: a TC_ACT_* name or a number compare with the signed verdict (so
   * TC_ACT_UNSPEC is -1, and 4294967295 means -1 too); a TCX_* name compares with what tcx makes
   * of the return (tcx_action_code: TCX_NEXT matches every code tcx does not know, e.g. TC_ACT_STOLEN).
   */
  toHaveVerdict(v: VerdictName | number): R;
  /** The run's output packet (or the frame) equals `frame`, with a field-level diff when not. */
  toEqualPacket(frame: Uint8Array | PacketCarrier): R;
}

/** A run result with a verdict: TestRunResult, compare's PathOutcome, or anything with `verdict` or `retval`. */
export interface VerdictCarrier {
  verdict?: number;
  retval?: number;
  err?: 0 | string;
  fault?: { message: string };
}
/** A run result with an output packet: TestRunResult (`dataOut`) or compare's PathOutcome (`bytes`). */
export interface PacketCarrier {
  dataOut?: Uint8Array;
  bytes?: Uint8Array;
  err?: 0 | string;
  fault?: { message: string };
}

/** Differences shown in a failure message; the rest are counted. */
export const MAX_DIFF_LINES = 20;

const NAMES: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, TC_ACT, TCX);

/** "TC_ACT_SHOT (2)", "TC_ACT_GOTO_CHAIN 3 (536870915)", or a number without a name. */
function actLabel(v: number): string {
  const n = tcActLabel(v);
  return n === String(v) ? n : `${n} (${v})`;
}

/** Why a result has no verdict (or no packet). */
function failure(r: VerdictCarrier | PacketCarrier): string {
  const err = r.err !== undefined && r.err !== 0 ? r.err : undefined;
  if (r.fault) return `${err ?? 'fault'}: ${r.fault.message}`;
  return err ?? 'no retval';
}

function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (isBytes(x)) return `a Uint8Array of ${x.length} bytes`;
  return typeof x === 'object' ? `an object with keys ${Object.keys(x as object).join(', ') || '(none)'}` : `${typeof x} ${String(x)}`;
}

/** The signed verdict of a received value, or why there is none. */
function receivedVerdict(received: unknown): number | { none: string } {
  if (typeof received === 'number') return received | 0;
  if (typeof received === 'object' && received !== null && !isBytes(received)) {
    const r = received as VerdictCarrier;
    if (typeof r.verdict === 'number') return r.verdict | 0;
    if (typeof r.retval === 'number') return r.retval | 0;
    if ('err' in r || 'fault' in r) return { none: failure(r) };
  }
  throw new BpfError(ErrorCode.Usage, `toHaveVerdict: expected a run result (with verdict or retval) or a number, got ${describeValue(received)}`);
}

/** `expect(result).toHaveVerdict('TC_ACT_SHOT' | 'TCX_NEXT' | 2)`. */
export function toHaveVerdict(this: MatcherContext, received: unknown, expected: VerdictName | number): MatcherResult {
  let want: number;
  let tcx = false;
  if (typeof expected === 'number' && Number.isInteger(expected)) want = expected | 0;
  else if (typeof expected === 'string' && NAMES[expected] !== undefined) {
    want = NAMES[expected];
    tcx = expected.startsWith('TCX_');
  } else {
    throw new BpfError(ErrorCode.Usage, `toHaveVerdict: ${JSON.stringify(expected)} is not a verdict (a number or one of ${Object.keys(NAMES).join(', ')})`);
  }
  const got = receivedVerdict(received);
  const wantText = tcx ? `${expected} (${want})` : actLabel(want);
  if (typeof got !== 'number') {
    return { pass: false, message: () => `expected verdict ${this.isNot ? 'not ' : ''}${wantText}, got no verdict (${got.none})` };
  }
  // tcx_action_code: every code but NEXT/PASS/DROP/REDIRECT is TCX_NEXT
  const tcxOf = (v: number): string => (tcxRetName(v).startsWith('TCX_') ? tcxRetName(v) : 'TCX_NEXT');
  const pass = tcx ? tcxOf(got) === expected : got === want;
  const gotText = tcx ? tcxRetLabel(got) : actLabel(got);
  return { pass, message: () => `expected verdict ${this.isNot ? 'not ' : ''}${wantText}, got ${gotText}` };
}

/** The packet of a received or expected value, or why there is none. */
function packetOf(x: unknown, who: 'received' | 'expected'): Uint8Array | { none: string } {
  if (isBytes(x)) return x;
  if (typeof x === 'object' && x !== null) {
    const r = x as PacketCarrier;
    const failed = (r.err !== undefined && r.err !== 0) || r.fault !== undefined;
    if (failed) return { none: failure(r) };
    if (isBytes(r.dataOut)) return r.dataOut;
    if (isBytes(r.bytes)) return r.bytes;
  }
  throw new BpfError(ErrorCode.Usage, `toEqualPacket: expected ${who === 'received' ? 'a run result (with dataOut or bytes) or a Uint8Array' : 'a frame (Uint8Array) or a run result'}, got ${describeValue(x)}`);
}

/** `expect(result).toEqualPacket(frame)`: the output packet's bytes equal the frame's. */
export function toEqualPacket(this: MatcherContext, received: unknown, expected: Uint8Array | PacketCarrier): MatcherResult {
  const want = packetOf(expected, 'expected');
  if (!isBytes(want)) throw new BpfError(ErrorCode.Usage, `toEqualPacket: the expected run has no packet (${want.none})`);
  const got = packetOf(received, 'received');
  if (!isBytes(got)) {
    return { pass: false, message: () => `expected a packet ${this.isNot ? 'other than' : 'equal to'} the expected frame (${want.length} bytes), got no packet (${got.none})` };
  }
  const diffs = diffPackets(got, want);
  if (diffs.length === 0) return { pass: true, message: () => `expected a packet other than the expected frame, got the same ${got.length} bytes` };
  return {
    pass: false,
    message: () => {
      const lines = diffs.slice(0, MAX_DIFF_LINES).map((d) => `  ${d.text}`);
      if (diffs.length > MAX_DIFF_LINES) lines.push(`  … and ${diffs.length - MAX_DIFF_LINES} more differences`);
      return `expected the packet to equal the expected frame (${want.length} bytes), got ${got.length} bytes that differ:\n${lines.join('\n')}`;
    },
  };
}

/** Both matchers, for `expect.extend(matchers)` in vitest or jest. */
export const matchers = { toHaveVerdict, toEqualPacket };
