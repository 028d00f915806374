/**
 * @fileoverview State comparison for pruning (the kernel's states_equal / regsafe / stacksafe /
 * refsafe): a new state is safe when an already verified state at the same instruction
 * contains it — every live register and stack byte of the old state describes a superset of
 * the new one's values, with ids mapped consistently (check_ids). With `exact`, states must be
 * the same (the infinite loop check).
 *
 * Scalars are compared by range and tnum containment when the old state's copy is precise (set
 * by backtracking, precision.ts), as the kernel does; which registers are live at all comes from
 * a static pass over the program (do-check.ts liveness) instead of the kernel's read marks.
 */
import { RT, Reg, sameBounds } from './reg.js';
import { ITER_BITS, ITER_DRAINED, Slot, isInvalidSlot, type Frame, type State } from './state.js';
import { tIn } from './tnum.js';

class IdMap {
  /** Paired ids, old[k] with cur[k]: a comparison pairs few, so a linear scan beats a hash map. */
  private old: number[] = [];
  private cur: number[] = [];
  private n = 0;

  /** Forget every pairing (one map serves every comparison: most pair no ids at all). */
  reset(): void {
    this.n = 0;
    this.tmp = 2 ** 40;
  }

  /** check_ids: old id x must always pair with the same cur id, and the other way round. */
  ok(x: number, y: number): boolean {
    if (x === 0 && y === 0) return true;
    if (x === 0 || y === 0) return false;
    const o = this.old;
    const c = this.cur;
    for (let k = 0; k < this.n; k++) {
      if (o[k] === x) return c[k] === y;
      if (c[k] === y) return false;
    }
    o[this.n] = x;
    c[this.n] = y;
    this.n++;
    return true;
  }

  private tmp = 2 ** 40;

  /**
   * check_scalar_ids: an unlinked cur scalar gets a fresh id, so one old id cannot cover both a
   * linked and an independent register; a delta-linked id maps as a whole and by its base.
   */
  scalar(o: Reg, c: Reg): boolean {
    if (!o.id) return true;
    const cid = c.id || ++this.tmp;
    if (!this.ok(linkKey(o, o.id), linkKey(c, cid))) return false;
    return !o.addConst || this.ok(o.id, cid);
  }
}

const IDS = new IdMap();

/** An id as the kernel's id field holds it, link flags included (BPF_ADD_CONST64 / 32): distinct values. */
function linkKey(r: Reg, id: number): number {
  return r.addConst ? (r.addConst32 ? -id - 2 ** 40 : -id) : id;
}

/**
 * regs_exact for widening (maybe_widen_reg): the same value, link and delta, with ids and
 * references paired consistently across one widening of a state (`first`: a new widening).
 */
export function exactForWiden(o: Reg, c: Reg, first: boolean): boolean {
  if (first) IDS.reset();
  if (!sameScalar(o, c)) return false;
  return IDS.ok(linkKey(o, o.id), linkKey(c, c.id)) && IDS.ok(o.ref, c.ref);
}

/** The same value and the same kind of link with the same delta (regs_exact on a scalar, ids apart). */
function sameScalar(o: Reg, c: Reg): boolean {
  return sameBounds(o, c) && o.addConst === c.addConst && o.addConst32 === c.addConst32 && o.delta === c.delta;
}

function rangeWithin(o: Reg, c: Reg): boolean {
  // the 32-bit bounds first: numbers compare inline, bigints through a call
  return (
    o.u32min <= c.u32min && o.u32max >= c.u32max && o.s32min <= c.s32min && o.s32max >= c.s32max &&
    o.umin <= c.umin && o.umax >= c.umax && o.smin <= c.smin && o.smax >= c.smax
  );
}

function sameVar(o: Reg, c: Reg): boolean {
  return o.v.v === c.v.v && o.v.m === c.v.m && o.smin === c.smin && o.smax === c.smax && o.umin === c.umin && o.umax === c.umax;
}

/** For the tests: check each shortcut on a shared register or slot against the full comparison, and count them. */
export const SAME_CHECK = { on: false, regs: 0, slots: 0 };

function sameChecked(full: boolean, what: string): true {
  if (!full) throw new Error(`a shared ${what} the full comparison refuses was taken as covered`);
  return true;
}

/**
 * regsafe: whether old's register `o` covers cur's `c`. `precise`: o is precise (its frame's mark)
 * or every scalar is compared by range (RANGE_WITHIN).
 */
function regsafe(o: Reg, c: Reg, ids: IdMap, exact: boolean, precise: boolean): boolean {
  // states share the registers neither changed since they were cloned (Frame.clone): one with
  // no ids to pair covers itself, whatever the mode (every comparison in regsafeFull is
  // reflexive then, and pairs nothing)
  if (o === c && o.id === 0 && o.ref === 0) {
    if (SAME_CHECK.on) SAME_CHECK.regs++;
    return !SAME_CHECK.on || sameChecked(regsafeFull(o, c, ids, exact, precise), 'register');
  }
  return regsafeFull(o, c, ids, exact, precise);
}

function regsafeFull(o: Reg, c: Reg, ids: IdMap, exact: boolean, precise: boolean): boolean {
  if (o.t === RT.NOT_INIT) return !exact || c.t === RT.NOT_INIT;
  if (o.t !== c.t) return false;
  if (o.nullable !== c.nullable) return false;
  switch (o.t) {
    case RT.SCALAR:
      if (exact) {
        return sameScalar(o, c);
      }
      if (!precise) return true; // an imprecise scalar: its value decides nothing later
      // linked registers: the same kind of link, the same delta, consistent ids (regsafe)
      if ((o.addConst !== c.addConst || o.addConst32 !== c.addConst32) && (o.addConst || o.id)) return false;
      if (o.addConst && o.delta !== c.delta) return false;
      if (!ids.scalar(o, c)) return false;
      return rangeWithin(o, c) && tIn(o.v, c.v);
    case RT.PKT:
    case RT.PKT_META:
      if (o.off !== c.off) return false;
      if (exact ? o.range !== c.range : o.range < 0 ? o.range !== c.range : c.range < o.range) return false;
      if (!ids.ok(o.id, c.id)) return false;
      return exact ? sameVar(o, c) : rangeWithin(o, c) && tIn(o.v, c.v);
    case RT.CTX:
    case RT.PKT_END:
    case RT.STACK:
    case RT.MAP_VALUE:
    case RT.MAP_KEY:
    case RT.MEM:
    case RT.MAP_PTR:
    case RT.SOCKET:
    case RT.SOCK_COMMON:
    case RT.TCP_SOCK:
    case RT.BTF_ID:
    case RT.FUNC:
    default:
      if (o.off !== c.off || o.map !== c.map || o.size !== c.size || o.frame !== c.frame || o.rdonly !== c.rdonly || o.btf !== c.btf || o.pktSlice !== c.pktSlice) return false;
      if (o.nullable || o.ref || c.ref || o.t === RT.MAP_VALUE) {
        if (!ids.ok(o.id, c.id)) return false;
      }
      if (!ids.ok(o.ref, c.ref)) return false;
      return exact ? sameVar(o, c) : rangeWithin(o, c) && tIn(o.v, c.v);
  }
}

/**
 * Where the last regsafeStates that failed found the difference: a register (frame << 4 | reg),
 * a stack slot (SLOT_AT | frame << 8 | slot), else -1.
 */
let failedAt = -1;
let failedFrame: Frame | undefined;
const SLOT_AT = 1 << 16;

/**
 * A quick refusal before regsafeStates (not exact, not all precise): the register or stack slot
 * `at` (from lastFailedAt) is not covered. A checkpoint tends to miss on the same register or
 * slot again, and this looks at that one only (most misses of test_cls_redirect's saved states
 * are in the stack). A register or slot that fails with no ids paired yet fails for a reason
 * the pairing cannot change (pairing more ids only refuses more), so regsafeStates would fail
 * too: it compares every live register and every slot from the old state's lowest one.
 */
export function quickFails(old: State, m: Miss, cur: State, live: Uint16Array, insn: number): boolean {
  // `m.failFrame` is old's frame of `at`, kept by the caller: reaching it through old's frames
  // costs cache misses on objects nothing else reads. Frame counts are not compared: if they
  // differ regsafeStates refuses anyway.
  const at = m.failAt;
  const fo = m.failFrame!;
  const n = cur.frames.length;
  let fails: boolean;
  let same = false;
  if (at & SLOT_AT) {
    const k = (at >> 8) & 0xff;
    const s = at & 0xff;
    if (k >= n || s < fo.minSlot) return false;
    const fc = cur.frames[k];
    const sp = fc.spilled[s];
    // the slot this quick check refused last time, unchanged (its types and spilled register
    // are the same, no dynptr or iterator): refused again without reading the old state, whose slot has
    // only become stricter since (precision marks; cleaning happened before: m.cleaned)
    if (m.failWord === fc.slots[s] && m.failCur === sp && (fc.pktDyn[s] | fc.refDyn[s] | fc.iterRef[s]) === 0) same = fails = true;
    else {
      IDS.reset();
      fails = !slotSafe(fo, fc, s, IDS, false, false);
      if (fails) {
        m.failWord = m.cleaned && (fc.pktDyn[s] | fc.refDyn[s] | fc.iterRef[s]) === 0 ? fc.slots[s] : -1;
        m.failCur = sp;
      }
    }
  } else {
    const k = at >> 4;
    const r = at & 15;
    if (k >= n) return false;
    const mask = k === n - 1 ? live[insn] : live[cur.frames[k + 1].callsite + 1] & ~0x3f;
    if (!(mask & (1 << r))) return false;
    const c = cur.frames[k].regs[r];
    // the register this quick check refused last time (shared since: Frame.clone): refused
    // again, as old's register has only become stricter since (precision marks)
    if (c === m.failCur) same = fails = true;
    else {
      IDS.reset();
      fails = !regsafe(fo.regs[r], c, IDS, false, fo.preciseReg(r));
      if (fails) m.failCur = c;
    }
  }
  if (fails && QUICK_CHECK.on) {
    if (at & SLOT_AT) QUICK_CHECK.refusedSlot++;
    else QUICK_CHECK.refused++;
    if (same) QUICK_CHECK.same++;
    if (regsafeStates(old, cur, live, insn, false, false)) throw new Error(`quickFails refused a covered state at insn ${insn}`);
  }
  return fails;
}

/**
 * Where a saved state's last comparison failed, kept per saved state for quickFails: the
 * register or stack slot (lastFailedAt, -1 for none) and old's frame of it; the current
 * state's register or spilled register there and slot types (-1: none) when quickFails refused
 * it, compared by identity next time.
 */
export interface Miss {
  failAt: number;
  failFrame: Frame | undefined;
  failCur: Reg | undefined;
  failWord: number;
  /** The saved state's dead slots were cleaned: its slot types no longer change. */
  readonly cleaned: boolean;
}

/** After a regsafeStates that failed: where (its ids were paired, so no identity to remember). */
export function noteMiss(m: Miss): void {
  m.failAt = failedAt;
  m.failFrame = failedAt >= 0 ? failedFrame : undefined;
  m.failCur = undefined;
  m.failWord = -1;
}

/** For the tests: compare each quick refusal with the full comparison, and count them. */
export const QUICK_CHECK = { on: false, refused: 0, refusedSlot: 0, same: 0 };

/**
 * Whether `cur` at instruction `insn` is covered by the verified `old`. `live[i]` holds the
 * registers read before written from instruction i; outer frames use the liveness after their
 * call site (where r0-r5 are redefined). `allPrecise` compares every scalar by range whatever
 * its precision (the kernel's RANGE_WITHIN, for loops whose marks are not final).
 */
export function regsafeStates(
  old: State,
  cur: State,
  live: Uint16Array,
  insn: number,
  exact: boolean,
  allPrecise: boolean,
): boolean {
  failedAt = -1;
  if (old.frames.length !== cur.frames.length) return false;
  if (old.lockId !== 0 !== (cur.lockId !== 0)) return false;
  if (old.refs.length !== cur.refs.length) return false;
  if (exact && old.mayGoto !== cur.mayGoto) return false;
  if (old.preempt !== cur.preempt) return false;
  if (old.rcu !== cur.rcu) return false;
  const ids = IDS;
  ids.reset();
  for (let k = 0; k < old.refs.length; k++) if (!ids.ok(old.refs[k].id, cur.refs[k].id)) return false;
  if (old.lockId && !ids.ok(old.lockId, cur.lockId)) return false;
  const n = old.frames.length;
  for (let k = 0; k < n; k++) {
    const fo = old.frames[k];
    const fc = cur.frames[k];
    if (fo.callsite !== fc.callsite || fo.subprog !== fc.subprog) return false;
    // a state that had queued more callback iterations does not cover one with fewer (func_states_equal)
    if (fo.callbackDepth > fc.callbackDepth) return false;
    const at = k === n - 1 ? insn : cur.frames[k + 1].callsite + 1;
    const mask = k === n - 1 ? live[at] : live[at] & ~0x3f;
    for (let r = 0; r < 10; r++) {
      if (!exact && !(mask & (1 << r))) continue;
      if (!regsafe(fo.regs[r], fc.regs[r], ids, exact, allPrecise || fo.preciseReg(r))) {
        failedAt = (k << 4) | r;
        failedFrame = fo;
        return false;
      }
    }
    // stack (stacksafe): below the lowest slot either state wrote, both are invalid
    for (let s = exact ? Math.min(fo.minSlot, fc.minSlot) : fo.minSlot; s < 64; s++) {
      if (!slotSafe(fo, fc, s, ids, exact, allPrecise)) {
        failedAt = SLOT_AT | (k << 8) | s;
        failedFrame = fo;
        return false;
      }
    }
  }
  return true;
}

/**
 * stacksafe for one 8-byte slot `s` of frames `fo` (old) and `fc` (cur): whether the old slot
 * covers the current one.
 */
function slotSafe(fo: Frame, fc: Frame, s: number, ids: IdMap, exact: boolean, allPrecise: boolean): boolean {
  const os = fo.spilled[s];
  // the same eight byte types and the same spilled register (shared since a clone), with no ids
  // to pair: covered in every mode, as each test in slotSafeFull is reflexive then
  if (os === fc.spilled[s] && fo.slots[s] === fc.slots[s] && fo.pktDyn[s] === fc.pktDyn[s] && (fo.refDyn[s] | fc.refDyn[s] | fo.iterRef[s] | fc.iterRef[s]) === 0 && (os === undefined || (os.id === 0 && os.ref === 0))) {
    if (SAME_CHECK.on) SAME_CHECK.slots++;
    return !SAME_CHECK.on || sameChecked(slotSafeFull(fo, fc, s, ids, exact, allPrecise), 'stack slot');
  }
  return slotSafeFull(fo, fc, s, ids, exact, allPrecise);
}

function slotSafeFull(fo: Frame, fc: Frame, s: number, ids: IdMap, exact: boolean, allPrecise: boolean): boolean {
  const os = fo.spilled[s];
  const cs = fc.spilled[s];
  const base = s * 8;
  // a slot the old state never wrote, or that was dead when it was cleaned, covers anything
  if (!exact && os === undefined && fc.refDyn[s] === 0 && isInvalidSlot(fo.slots, s)) return true;
  // iterators: of the same kind and state, holding paired references; their depth is not
  // compared (stacksafe's STACK_ITER case)
  if ((fo.iterRef[s] | fc.iterRef[s]) !== 0) {
    const o = fo.iterRef[s];
    const c = fc.iterRef[s];
    if (o === 0 || c === 0 || (fo.iterInfo[s] ^ fc.iterInfo[s]) & (ITER_DRAINED | ITER_BITS)) return false;
    return o < 0 ? c < 0 : c > 0 && ids.ok(o, c);
  }
  if (fo.pktDyn[s] !== fc.pktDyn[s]) return false;
  if ((fo.refDyn[s] | fc.refDyn[s]) !== 0 && !ids.ok(fo.refDyn[s], fc.refDyn[s])) return false;
  const oSpill = fo.byte(base) === Slot.SPILL && os;
  const cSpill = fc.byte(base) === Slot.SPILL && cs;
  if (oSpill) {
    if (!cSpill) {
      // an imprecise 64-bit spilled scalar covers eight misc bytes (scalar_reg_for_stack)
      if (!exact && !allPrecise && os!.t === RT.SCALAR && !fo.preciseSlot(s) && fo.byte(base + 7) === Slot.SPILL) {
        let misc = true;
        for (let b = 0; b < 8; b++) if (fc.byte(base + b) !== Slot.MISC && fc.byte(base + b) !== Slot.INVALID) misc = false;
        if (misc) return true;
      }
      // a spilled unknown scalar is covered by misc/zero bytes
      if (!exact && os!.t === RT.SCALAR && os!.v.m === (1n << 64n) - 1n) {
        let ok = true;
        for (let b = 0; b < 8; b++) {
          const t = fc.byte(base + b);
          if (fo.byte(base + b) !== Slot.INVALID && t !== Slot.MISC && t !== Slot.ZERO && t !== Slot.SPILL) ok = false;
        }
        if (ok) return true;
      }
      return false;
    }
    for (let b = 0; b < 8; b++) {
      const to = fo.byte(base + b);
      const tc = fc.byte(base + b);
      if (to === Slot.SPILL && tc !== Slot.SPILL) return false;
      // beside a narrow spill, bytes the old state knew to be zero must still be zero (the
      // byte-wise half of stacksafe: only misc and invalid bytes cover anything)
      if (exact ? to !== tc : to === Slot.ZERO && tc !== Slot.ZERO) return false;
    }
    return regsafe(os!, cs!, ids, exact, allPrecise || fo.preciseSlot(s));
  }
  for (let b = 0; b < 8; b++) {
    const to = fo.byte(base + b);
    const tc = fc.byte(base + b);
    if (exact) {
      if (to !== tc) return false;
      continue;
    }
    if (to === Slot.INVALID) continue;
    // root reads uninitialised stack as unknown, so a misc byte covers anything, a spilled
    // pointer too (stacksafe with allow_uninit_stack)
    if (to === Slot.MISC) continue;
    if (to === Slot.ZERO) {
      if (tc === Slot.ZERO) continue;
      return false;
    }
    if (to === Slot.SPILL) {
      // partial spill bytes without a spilled register: compare as misc
      if (tc === Slot.SPILL || tc === Slot.MISC || tc === Slot.ZERO) continue;
      return false;
    }
  }
  return !(exact && (!!os !== !!cs || (os && cs && !regsafe(os, cs, ids, true, false))));
}
