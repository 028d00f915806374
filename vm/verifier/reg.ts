/**
 * @fileoverview The verifier's register state (the kernel's `struct bpf_reg_state`): a type, a
 * fixed offset, the variable part as a tnum plus signed/unsigned 64- and 32-bit bounds, and the
 * ids that tie registers together (null checks, packet ranges, references).
 */
import { TUNKNOWN, tconst, tWithSubreg, type Tnum } from './tnum.js';

/** Register types (enum bpf_reg_type). Nullable pointers carry `nullable` (PTR_MAYBE_NULL). */
export const enum RT {
  NOT_INIT,
  SCALAR,
  CTX,
  STACK,
  PKT,
  PKT_META,
  PKT_END,
  MAP_PTR,
  MAP_VALUE,
  MAP_KEY,
  SOCKET,
  SOCK_COMMON,
  TCP_SOCK,
  MEM,
  BTF_ID,
  FUNC,
  CONST_STR,
}

import { S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from '../uapi.js';

export { S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX };

export class Reg {
  t: RT = RT.NOT_INIT;
  nullable = false;
  /** Fixed offset of a pointer. */
  off = 0;
  v: Tnum = TUNKNOWN;
  smin = S64_MIN;
  smax = S64_MAX;
  umin = 0n;
  umax = U64_MAX;
  s32min = S32_MIN;
  s32max = S32_MAX;
  u32min = 0;
  u32max = U32_MAX;
  /** Shared by copies: null checks, packet ranges, scalar equalities. */
  id = 0;
  /** Acquired reference this pointer holds (ref_obj_id). */
  ref = 0;
  /** Packet pointers: bytes known to be in the packet after the pointer (<0: at/past end). */
  range = 0;
  /** Map index (MAP_PTR, MAP_VALUE, MAP_KEY). */
  map = -1;
  /** MEM / MAP_KEY: accessible size. */
  size = 0;
  /** STACK: frame number; FUNC: subprogram start. */
  frame = 0;
  /** MEM / MAP_VALUE of a read-only map: writes refused. */
  rdonly = false;
  /** MEM from bpf_ringbuf_reserve (for the log: ringbuf_mem). */
  ringbuf = false;
  /** BTF_ID: struct name for the log and field rules. */
  btf = '';
  /**
   * MEM sliced from an skb or xdp dynptr (the kernel's DYNPTR_TYPE_SKB/XDP on PTR_TO_MEM): it
   * points into the packet, so a helper that changes packet data invalidates it.
   */
  pktSlice = false;
  /**
   * SCALAR linked to the others of its id with a constant difference: this register is theirs
   * plus `delta` (the kernel's BPF_ADD_CONST flag on the id, with the delta in off).
   */
  addConst = false;
  /** The link came from a 32-bit add or subtract (BPF_ADD_CONST32): a sync zero-extends. */
  addConst32 = false;
  delta = 0;

  clone(): Reg {
    return new Reg().copyFrom(this);
  }

  /** Overwrite every field with `o`'s (a reused scratch register; clone for a new one). */
  copyFrom(o: Reg): this {
    this.t = o.t;
    this.nullable = o.nullable;
    this.off = o.off;
    this.v = o.v;
    this.smin = o.smin;
    this.smax = o.smax;
    this.umin = o.umin;
    this.umax = o.umax;
    this.s32min = o.s32min;
    this.s32max = o.s32max;
    this.u32min = o.u32min;
    this.u32max = o.u32max;
    this.id = o.id;
    this.ref = o.ref;
    this.range = o.range;
    this.map = o.map;
    this.size = o.size;
    this.frame = o.frame;
    this.rdonly = o.rdonly;
    this.ringbuf = o.ringbuf;
    this.btf = o.btf;
    this.pktSlice = o.pktSlice;
    this.addConst = o.addConst;
    this.addConst32 = o.addConst32;
    this.delta = o.delta;
    return this;
  }
}

/** Reset the variable part to "any value" (__mark_reg_unbounded and tnum_unknown). */
export function markUnbounded(r: Reg): void {
  r.v = TUNKNOWN;
  r.smin = S64_MIN;
  r.smax = S64_MAX;
  r.umin = 0n;
  r.umax = U64_MAX;
  r.s32min = S32_MIN;
  r.s32max = S32_MAX;
  r.u32min = 0;
  r.u32max = U32_MAX;
}

/** Set the variable part to a known constant (__mark_reg_known). */
export function markKnown(r: Reg, val: bigint): void {
  const u = BigInt.asUintN(64, val);
  r.v = tconst(u);
  r.smin = r.smax = BigInt.asIntN(64, u);
  r.umin = r.umax = u;
  const lo = Number(u & 0xffffffffn);
  r.u32min = r.u32max = lo;
  r.s32min = r.s32max = lo | 0;
}

/** Set the low 32 bits to a known constant, the upper half unchanged (__mark_reg32_known). */
export function markKnown32(r: Reg, val: number): void {
  r.v = tWithSubreg(r.v, tconst(BigInt(val >>> 0)));
  r.u32min = r.u32max = val >>> 0;
  r.s32min = r.s32max = val | 0;
}

/** The scalar no longer shares its value with other registers (clear_scalar_id). */
export function clearScalarId(r: Reg): void {
  r.id = 0;
  r.addConst = false;
  r.addConst32 = false;
  r.delta = 0;
}

/** The same variable part: tnum and every 64- and 32-bit bound (regs_exact on the value). */
export function sameBounds(a: Reg, b: Reg): boolean {
  return (
    a.v.v === b.v.v &&
    a.v.m === b.v.m &&
    a.smin === b.smin &&
    a.smax === b.smax &&
    a.umin === b.umin &&
    a.umax === b.umax &&
    a.s32min === b.s32min &&
    a.s32max === b.s32max &&
    a.u32min === b.u32min &&
    a.u32max === b.u32max
  );
}

/** A fresh unknown scalar (mark_reg_unknown). */
export function unknownScalar(): Reg {
  const r = new Reg();
  r.t = RT.SCALAR;
  return r;
}

export function constScalar(val: bigint): Reg {
  const r = new Reg();
  r.t = RT.SCALAR;
  markKnown(r, val);
  return r;
}

/** A pointer with a zero variable part (mark_reg_known_zero on a pointer). */
export function pointer(t: RT, off = 0): Reg {
  const r = new Reg();
  r.t = t;
  r.off = off;
  markKnown(r, 0n);
  return r;
}

export const isPointer = (r: Reg): boolean => r.t !== RT.SCALAR && r.t !== RT.NOT_INIT;
export const isPkt = (t: RT): boolean => t === RT.PKT || t === RT.PKT_META;
export const isConst = (r: Reg): boolean => r.v.m === 0n;
/** Lower 32 bits known (for JMP32 tests). */
export const isConst32 = (r: Reg): boolean => (r.v.m & 0xffffffffn) === 0n;
