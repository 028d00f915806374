/**
 * @fileoverview Reading helper arguments and writing helper results.
 *
 * The kernel converts each argument register to the helper's C parameter type (a u32 keeps the
 * low 32 bits, an s32 is those bits read as signed), and returns negative errnos as 64-bit
 * two's-complement values in r0 (docs/skb-and-helpers.md §4).
 */
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { Op } from '../../vm/isa.js';
import type { Region } from '../../vm/memory.js';
import type { HelperName } from '../../vm/helpers.js';
import type { KfuncName } from '../../vm/kfuncs.js';
import type { CallbackArg, HelperCall } from '../../vm/program.js';

/** The name a helper's or kfunc's faults carry: its record's name (vm/helpers.ts, vm/kfuncs.ts). */
export type CalleeName = HelperName | KfuncName;

/** Argument n (1..5) as u32. */
export const argU32 = (call: HelperCall, n: number): number => call.regs.lo[n] >>> 0;
/** Argument n as s32. */
export const argS32 = (call: HelperCall, n: number): number => call.regs.lo[n] | 0;
/** Argument n as u64 bigint (not for hot paths). */
export const argU64 = (call: HelperCall, n: number): bigint =>
  (BigInt(call.regs.hi[n] >>> 0) << 32n) | BigInt(call.regs.lo[n] >>> 0);
/** Argument n as a number when it fits in 53 bits, else Infinity (sizes, counts). */
export function argSize(call: HelperCall, n: number): number {
  const hi = call.regs.hi[n] >>> 0;
  return hi > 0x1fffff ? Infinity : hi * 0x1_0000_0000 + (call.regs.lo[n] >>> 0);
}
/** Whether argument n is the NULL pointer. */
export const argIsNull = (call: HelperCall, n: number): boolean => (call.regs.lo[n] | call.regs.hi[n]) === 0;

/** r0 = a small signed integer (an errno, a length, a count). */
export function setR0(call: HelperCall, v: number): void {
  call.regs.tag[0] = 0;
  call.regs.lo[0] = v | 0;
  call.regs.hi[0] = v < 0 ? -1 : Math.floor(v / 0x1_0000_0000) | 0;
}
/** r0 = a u64 bigint. */
export function setR0Big(call: HelperCall, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  call.regs.tag[0] = 0;
  call.regs.lo[0] = Number(u & 0xffffffffn) | 0;
  call.regs.hi[0] = Number(u >> 32n) | 0;
}
/**
 * r0 = a pointer [hi, lo] (or NULL with 0, 0) into the region whose high half is `hi`, tagged as
 * such (memory.ts, "Isolation"). Only for addresses the helper derived from a region it trusts.
 */
export function setR0Ptr(call: HelperCall, hi: number, lo: number): void {
  call.regs.lo[0] = lo;
  call.regs.hi[0] = hi;
  call.regs.tag[0] = hi;
}

/** Argument n as a callback argument: the value with its provenance (passed through unchanged). */
export const argPassThrough = (call: HelperCall, n: number): CallbackArg => [call.regs.lo[n], call.regs.hi[n], call.regs.tag[n]];

/** The fault a helper raises for an argument the verifier would have rejected. */
export function helperFault(call: HelperCall, helper: CalleeName, message: string): VmFault {
  return new VmFault(ErrorCode.HelperFault, `${helper}: ${message}`, call.insnIndex, Op.CALL);
}

/**
 * The fault for a helper memory argument the program does not own: a bad access (E_BAD_ACCESS)
 * at the call instruction, like a load or store through that pointer.
 */
export function memoryFault(call: HelperCall, helper: CalleeName, message: string): VmFault {
  return new VmFault(ErrorCode.BadAccess, `${helper}: ${message}`, call.insnIndex, Op.CALL);
}

/** The view of a zero-size memory argument (nothing can be read or written through it). */
const EMPTY = new Uint8Array(0);

/**
 * Bytes [arg n, +size) as a view into VM memory. A bad pointer is a fault: the kernel's verifier
 * proves helper memory arguments valid, so reaching here with a bad one means the program would
 * not have loaded.
 */
export function argMem(call: HelperCall, n: number, size: number, write: boolean, helper: CalleeName): Uint8Array {
  if (size === 0) return EMPTY;
  const view = call.mem.sliceTagged(call.regs.hi[n], call.regs.tag[n], call.regs.lo[n], size, write);
  if (view === undefined) {
    throw memoryFault(call, helper, `argument r${n} is not ${write ? 'writable' : 'readable'} memory of ${size} bytes`);
  }
  return view;
}

/**
 * argMem without the view: the region holding bytes [arg n, +size) (size > 0), the offset there
 * in `call.mem.lastOffset`. For hot helpers whose buffer moves between calls (a view per place
 * would be an allocation). Same faults as argMem.
 */
export function argMemAt(call: HelperCall, n: number, size: number, write: boolean, helper: CalleeName): Region {
  const region = call.mem.resolveTagged(call.regs.hi[n], call.regs.tag[n], call.regs.lo[n], size, write);
  if (region === undefined) {
    throw memoryFault(call, helper, `argument r${n} is not ${write ? 'writable' : 'readable'} memory of ${size} bytes`);
  }
  return region;
}

/**
 * The region argument n points into (tag-checked) and the offset there, for helpers that keep
 * or compare addresses (timers, ring buffer records, dynptrs). A bad pointer is a fault.
 */
export function argRegion(call: HelperCall, n: number, size: number, write: boolean, helper: CalleeName): { region: Region; offset: number } {
  const region = call.mem.resolveTagged(call.regs.hi[n], call.regs.tag[n], call.regs.lo[n], Math.max(size, 1), write);
  if (region === undefined) {
    throw memoryFault(call, helper, `argument r${n} is not ${write ? 'writable' : 'readable'} memory of ${size} bytes`);
  }
  return { region, offset: call.mem.lastOffset };
}

/** Read a NUL-terminated string of at most `max` bytes at (hi, lo), tagged `tag`; undefined if unreadable. */
export function readCString(call: HelperCall, hi: number, tag: number, lo: number, max: number): string | undefined {
  let out = '';
  for (let i = 0; i < max; i++) {
    const b = call.mem.sliceTagged(hi, tag, (lo + i) | 0, 1);
    if (b === undefined) return undefined;
    if (b[0] === 0) return out;
    out += String.fromCharCode(b[0]);
  }
  return out;
}
