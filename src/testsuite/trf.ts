/**
 * @fileoverview Cilium's BPF unit-test "test result format" (TRF): the protobuf message a CHECK
 * program writes into element 0 of `suite_result_map` (docs/testsuite.md):
 *
 *   SuiteResult { repeated TestResult results = 1; repeated Log suite_log = 2; }
 *   TestResult  { string name = 1; TestStatus status = 2; repeated Log test_log = 3; }
 *   Log         { string fmt = 1; repeated fixed64 args = 2; }
 *   TestStatus  { UNKNOWN = 0; ERROR = 100; PASS = 101; FAIL = 102; SKIP = 103; }
 *
 * The map value is zero-padded, so the message ends where the leading run of well-formed fields
 * ends (a zero byte is field number 0, which no message has). Inside that run decoding is strict,
 * as proto.Unmarshal is: a truncated length, a varint of more than 10 bytes or a string that is
 * not UTF-8 is an error.
 */
import { BpfError, ErrorCode } from '../../vm/errors.js';

/** TestStatus of trf.proto (the numbers the BPF side writes). */
export const TRF_STATUS = { UNKNOWN: 0, ERROR: 100, PASS: 101, FAIL: 102, SKIP: 103 } as const;

/** How a runner reads a status number: ERROR, FAIL and SKIP by value, anything else passes. */
export type Outcome = 'pass' | 'fail' | 'skip' | 'error';

/** The outcome of a TestStatus number, as Cilium's runner judges it (unknown values pass). */
export function outcomeOf(status: number): Outcome {
  if (status === TRF_STATUS.ERROR) return 'error';
  if (status === TRF_STATUS.FAIL) return 'fail';
  if (status === TRF_STATUS.SKIP) return 'skip';
  return 'pass';
}

/** One Log record: the format string, its u64 arguments and the rendered text. */
export interface TrfLog {
  fmt: string;
  args: bigint[];
  text: string;
}

export interface TrfTest {
  name: string;
  /** The TestStatus number as written (0 when the field is absent). */
  status: number;
  log: TrfLog[];
}

export interface SuiteResult {
  results: TrfTest[];
  suiteLog: TrfLog[];
  /** Bytes of the map value the message occupies. */
  length: number;
}

/** The map value does not hold a well-formed SuiteResult. */
export class TrfDecodeError extends BpfError {
  constructor(message: string, readonly offset: number) {
    super(ErrorCode.Map, `suite_result_map: ${message} at byte ${offset}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A bounded protobuf reader over one message's bytes. */
class Reader {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  varint(): bigint {
    let v = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new TrfDecodeError('truncated varint', this.pos);
      const c = this.b[this.pos++];
      v |= BigInt(c & 0x7f) << BigInt(7 * i);
      if ((c & 0x80) === 0) return BigInt.asUintN(64, v);
    }
    throw new TrfDecodeError('varint longer than 10 bytes', this.pos);
  }
  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new TrfDecodeError('truncated fixed64', this.pos);
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v;
  }
  /** A length-delimited field's [start, end). */
  bytes(): [number, number] {
    const at = this.pos;
    const n = this.varint();
    if (n > BigInt(this.end - this.pos)) throw new TrfDecodeError('length past the end of the message', at);
    const s = this.pos;
    this.pos += Number(n);
    return [s, this.pos];
  }
  string(): string {
    const [s, e] = this.bytes();
    try {
      return utf8.decode(this.b.subarray(s, e));
    } catch {
      throw new TrfDecodeError('string field is not valid UTF-8', s);
    }
  }
  /** Skip a field of this wire type (an unknown field, or a known one with another wire type). */
  skip(wire: number, at: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.fixed64();
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) throw new TrfDecodeError('truncated fixed32', this.pos);
        this.pos += 4;
        return;
      default:
        throw new TrfDecodeError(`wire type ${wire} is not supported`, at);
    }
  }
  /** Each field as [field number, wire type, offset of its key]. */
  *fields(): Generator<[number, number, number]> {
    while (this.pos < this.end) {
      const at = this.pos;
      const key = this.varint();
      const field = Number(key >> 3n);
      if (field === 0) throw new TrfDecodeError('field number 0', at);
      yield [field, Number(key & 7n), at];
    }
  }
}

/**
 * Length of the leading run of well-formed top-level fields of `b` (where the padding starts): a
 * field ends the run when its key is field 0 or malformed, or its body does not fit.
 */
export function messageLength(b: Uint8Array): number {
  const r = new Reader(b, 0, b.length);
  let good = 0;
  try {
    for (const [, wire, at] of r.fields()) {
      r.skip(wire, at);
      good = r.pos;
    }
  } catch (e) {
    if (!(e instanceof TrfDecodeError)) throw e;
  }
  return good;
}

function decodeLog(r: Reader): TrfLog {
  let fmt = '';
  const args: bigint[] = [];
  for (const [field, wire, at] of r.fields()) {
    if (field === 1 && wire === 2) fmt = r.string();
    else if (field === 2 && wire === 1) args.push(r.fixed64());
    else if (field === 2 && wire === 2) {
      // packed repeated fixed64
      const [s, e] = r.bytes();
      if ((e - s) % 8 !== 0) throw new TrfDecodeError('packed fixed64 of a length not a multiple of 8', s);
      const sub = new Reader(r.b, s, e);
      while (sub.pos < e) args.push(sub.fixed64());
    } else r.skip(wire, at);
  }
  return { fmt, args, text: formatLog(fmt, args) };
}

function sub(r: Reader): Reader {
  const [s, e] = r.bytes();
  return new Reader(r.b, s, e);
}

function decodeTest(r: Reader): TrfTest {
  const t: TrfTest = { name: '', status: 0, log: [] };
  for (const [field, wire, at] of r.fields()) {
    if (field === 1 && wire === 2) t.name = r.string().replace(/\0$/, '');
    else if (field === 2 && wire === 0) t.status = Number(BigInt.asIntN(32, r.varint()));
    else if (field === 3 && wire === 2) t.log.push(decodeLog(sub(r)));
    else r.skip(wire, at);
  }
  return t;
}

/** Decode a suite_result_map value (zero padding after the message is ignored). */
export function decodeSuiteResult(value: Uint8Array): SuiteResult {
  const length = messageLength(value);
  const r = new Reader(value, 0, length);
  const out: SuiteResult = { results: [], suiteLog: [], length };
  for (const [field, wire, at] of r.fields()) {
    if (field === 1 && wire === 2) out.results.push(decodeTest(sub(r)));
    else if (field === 2 && wire === 2) out.suiteLog.push(decodeLog(sub(r)));
    else r.skip(wire, at);
  }
  return out;
}

const hex = (v: bigint, bytes: number): string => BigInt.asUintN(bytes * 8, v).toString(16).padStart(bytes * 2, '0');

/**
 * Render a Log as Cilium's runner does. Its conversions are printk-like but read the argument at
 * a fixed width: `%d %i %s` as s16, `%u` as u16, `%x` as 4 hex digits; with `l` 32 bits, with
 * `ll` 64 bits. A conversion without an argument left prints `%!<spec>(MISSING)`, an unknown
 * one `%!<spec>(INVALID)` (and uses no argument). NULs at the end of a text run are dropped.
 */
export function formatLog(fmt: string, args: readonly bigint[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const end = fmt.length;
  while (i < end) {
    const start = i;
    while (i < end && fmt[i] !== '%') i++;
    if (i > start) out += fmt.slice(start, i).replace(/\0$/, '');
    if (i >= end) break;
    i++; // past '%'
    let spec = '';
    for (; i < end; i++) {
      const c = fmt[i];
      if (c === 'd' || c === 'i' || c === 'u' || c === 'x' || c === 's') {
        spec += c;
        break;
      }
      if (c !== 'l') break;
      spec += c;
    }
    i++; // past the conversion (or the character that ended it)
    if (argi >= args.length) {
      out += `%!${spec}(MISSING)`;
      continue;
    }
    const a = args[argi];
    switch (spec) {
      case 'u':
        out += BigInt.asUintN(16, a).toString();
        break;
      case 'd':
      case 'i':
      case 's':
        out += BigInt.asIntN(16, a).toString();
        break;
      case 'x':
        out += hex(a, 2);
        break;
      case 'lu':
        out += BigInt.asUintN(32, a).toString();
        break;
      case 'ld':
      case 'li':
      case 'ls':
        out += BigInt.asIntN(32, a).toString();
        break;
      case 'lx':
        out += hex(a, 4);
        break;
      case 'llu':
        out += BigInt.asUintN(64, a).toString();
        break;
      case 'lld':
      case 'lli':
      case 'lls':
        out += BigInt.asIntN(64, a).toString();
        break;
      case 'llx':
        out += hex(a, 8);
        break;
      default:
        out += `%!${spec}(INVALID)`;
        continue;
    }
    argi++;
  }
  return out;
}
