/**
 * @fileoverview CO-RE relocations: find each local type's candidates in the target BTF, match
 * the accessor spec, compute the new value and patch the instruction, with libbpf's rules
 * (tools/lib/bpf/relo_core.c: bpf_core_parse_spec, bpf_core_spec_match, bpf_core_calc_relo,
 * bpf_core_patch_insn; candidate search from libbpf.c bpf_core_add_cands).
 *
 * An unsatisfiable relocation poisons its instruction as libbpf does: the instruction (both
 * slots of an ldimm64) becomes `call 0xbad2310` (CORE_POISON_HELPER_ID). No helper has that id,
 * so if the code is reachable the VM stops with an unknown-helper fault naming 0xbad2310;
 * usually the code is guarded by an existence check and never runs. Existence checks and
 * type-based relocations never poison: they resolve to 0.
 */
import { BtfError, ErrorCode, type FileLocation } from '../../vm/errors.js';
import { Class, Op, SIZE_BYTES, Size, Source, opClass, opMode, opSize, opSource } from '../../vm/isa.js';
import type { CoreRelo } from './ext.js';
import { MAX_RESOLVE_DEPTH, type Btf } from './parse.js';
import { isAnyEnum, isComposite, type BtfComposite, type BtfType } from './types.js';
import { BPF_CORE, CORE_RELO_KIND_NAMES } from './wire.js';

/**
 * A CO-RE relocation libbpf would refuse (bad accessor, unexpected instruction, ambiguous
 * candidates): a BtfError whose code is E_CORE.
 */
export class CoreRelocationError extends BtfError {
  override readonly code: ErrorCode = ErrorCode.Core;
  constructor(message: string, loc: FileLocation, cause?: unknown) {
    super(message, loc, cause);
  }
}

/** The imm of libbpf's poison call (0xbad2310, "bad relo"). */
export const CORE_POISON_HELPER_ID = 0xbad2310;
/** libbpf BPF_CORE_SPEC_MAX_LEN: longest accessor string. */
const SPEC_MAX_LEN = 64;
const SHRT_MAX = 0x7fff;

/** Context of one applyCoreRelocations call. */
export interface CoreContext {
  /** Code section the relocations belong to (for messages). */
  section: string;
  /**
   * Optional sink for libbpf-style debug lines ("relo #N: patched insn #I (ALU/ALU64) imm A -> B",
   * "relo #N: substituting insn #I w/ invalid insn"), numbered like libbpf's log.
   */
  log?: string[];
  /** Program name for log lines (default: the section name). */
  prog?: string;
}

/** One accessor of a spec: a member (with name) or an array index (name undefined). */
interface Accessor {
  typeId: number;
  idx: number;
  name?: string;
}

/** A parsed or matched access spec (libbpf struct bpf_core_spec). */
interface Spec {
  btf: Btf;
  rootTypeId: number;
  kind: number;
  spec: Accessor[];
  raw: number[];
  bitOffset: number;
}

/** Result of relocating one record (libbpf struct bpf_core_relo_res). */
interface ReloResult {
  origVal: bigint;
  newVal: bigint;
  poison: boolean;
  validate: boolean;
  failMemszAdjust: boolean;
  origSz: number;
  newSz: number;
  origTypeId: number;
  newTypeId: number;
}

const isFieldBased = (k: number): boolean => k <= BPF_CORE.FIELD_RSHIFT_U64;
const isTypeBased = (k: number): boolean =>
  k === BPF_CORE.TYPE_ID_LOCAL || k === BPF_CORE.TYPE_ID_TARGET || k === BPF_CORE.TYPE_EXISTS ||
  k === BPF_CORE.TYPE_SIZE || k === BPF_CORE.TYPE_MATCHES;
const isEnumvalBased = (k: number): boolean => k === BPF_CORE.ENUMVAL_EXISTS || k === BPF_CORE.ENUMVAL_VALUE;

/**
 * Work budget of one relocation's type comparisons. libbpf recurses without one; hostile BTF
 * (a struct whose anonymous members are the struct itself) would make that exponential.
 */
const MAX_MATCH_STEPS = 1_000_000;
let steps = 0;
function tick(): void {
  if (++steps > MAX_MATCH_STEPS) throw new BtfError(`type comparison exceeded ${MAX_MATCH_STEPS} steps (hostile BTF?)`);
}

/** Internal "errno" of the libbpf algorithm: EUCLEAN = poison request. */
class Poison extends Error {}

/**
 * libbpf bpf_core_essential_name_len: the length of `name` without its `___flavor` suffix
 * (the last "___" that is preceded and followed by a non-underscore).
 */
export function essentialNameLength(name: string): number {
  const n = name.length;
  for (let i = n - 5; i >= 0; i--) {
    if (name[i] !== '_' && name[i + 1] === '_' && name[i + 2] === '_' && name[i + 3] === '_' && name[i + 4] !== '_') return i + 1;
  }
  return n;
}

/** libbpf bpf_core_names_match: essential names equal (an anonymous target only matches anonymous). */
function namesMatch(local: string, targ: string): boolean {
  if (targ === '') return local === '';
  const tl = essentialNameLength(targ);
  const ll = essentialNameLength(local);
  return tl === ll && local.slice(0, ll) === targ.slice(0, ll);
}

/** Kinds equal, or both enums (libbpf btf_kind_core_compat). */
function kindsCompat(a: BtfType, b: BtfType): boolean {
  return a.kind === b.kind || (isAnyEnum(a) && isAnyEnum(b));
}

function intOffset(t: BtfType): number {
  return t.kind === 'INT' ? t.bitOffset : 0;
}

/**
 * Applies the CO-RE relocations `relos` (one code section's records, insnOff in bytes from
 * the start of `insns`) to `insns` in place, resolving types of `local` (the object's BTF)
 * against `target` (kernel BTF: builtinTargetBtf() or a vmlinux). Malformed records and
 * relocations libbpf refuses (ambiguous candidates, unexpected instruction values) are
 * BtfErrors; unsatisfiable ones are poisoned (see CORE_POISON_HELPER_ID).
 */
export function applyCoreRelocations(insns: Uint8Array, relos: readonly CoreRelo[], local: Btf, target: Btf, ctx: CoreContext): void {
  const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
  const candCache = new Map<number, number[]>();
  const prog = ctx.prog ?? ctx.section;
  relos.forEach((relo, idx) => {
    const fail = (msg: string, cause?: unknown): never => {
      throw new CoreRelocationError(`CO-RE relo #${idx} (${CORE_RELO_KIND_NAMES[relo.kind] ?? relo.kind}) at insn #${relo.insnOff / 8}: ${msg}`, {
        section: ctx.section, offset: relo.insnOff,
      }, cause);
    };
    if (relo.insnOff % 8 !== 0 || relo.insnOff + 8 > insns.length) fail(`instruction offset ${relo.insnOff} is outside the section`);
    let res: ReloResult;
    try {
      res = calcRelo(relo, local, target, candCache, ctx.log, prog, idx);
    } catch (e) {
      if (e instanceof BtfError) fail(e.message.replace(/^btf: /, ''), e);
      throw e;
    }
    patchInsn(dv, relo.insnOff, res, idx, fail, ctx.log, prog);
  });
}

/** libbpf bpf_core_calc_relo_insn: local spec, candidates, matching and value computation. */
function calcRelo(
  relo: CoreRelo, local: Btf, target: Btf, candCache: Map<number, number[]>, log: string[] | undefined, prog: string, idx: number,
): ReloResult {
  steps = 0;
  const localSpec = parseSpec(local, relo.typeId, relo.accessStr, relo.kind);
  if (relo.kind === BPF_CORE.TYPE_ID_LOCAL) {
    const v = BigInt(localSpec.rootTypeId);
    return { origVal: v, newVal: v, poison: false, validate: false, failMemszAdjust: false, origSz: 0, newSz: 0, origTypeId: 0, newTypeId: 0 };
  }
  const localType = local.typeById(relo.typeId);
  if (localType.name === '') throw new BtfError(`local type [${relo.typeId}] is anonymous; CO-RE needs a named type`);
  let cands = candCache.get(relo.typeId);
  if (cands === undefined) {
    cands = findCandidates(localType, target);
    candCache.set(relo.typeId, cands);
  }
  let res: ReloResult | undefined;
  let targSpec: Spec | undefined;
  const kept: number[] = [];
  for (const candId of cands) {
    const cand = matchSpec(localSpec, target, candId);
    if (cand === undefined) continue;
    const candRes = calcResult(relo.kind, localSpec, cand);
    if (res === undefined || targSpec === undefined) {
      res = candRes;
      targSpec = cand;
    } else if (cand.bitOffset !== targSpec.bitOffset) {
      throw new BtfError(`field offset ambiguity: ${cand.bitOffset / 8} != ${targSpec.bitOffset / 8}`);
    } else if (candRes.poison !== res.poison || (!candRes.poison && candRes.newVal !== res.newVal)) {
      throw new BtfError(`relocation decision ambiguity: ${candRes.newVal} != ${res.newVal}`);
    }
    kept.push(candId);
  }
  // libbpf narrows the cached candidate list to the ones that matched (when any did).
  if (kept.length > 0) candCache.set(relo.typeId, kept);
  if (res === undefined) {
    log?.push(`prog '${prog}': relo #${idx}: no matching targets found`);
    res = calcResult(relo.kind, localSpec, undefined);
  }
  return res;
}

/** libbpf bpf_core_add_cands: same kind (enums together), same essential name, named. */
function findCandidates(localType: BtfType, target: Btf): number[] {
  const ess = essentialNameLength(localType.name);
  const want = localType.name.slice(0, ess);
  const out: number[] = [];
  // Target names that share the essential name: exact, or with their own ___flavor suffix.
  if (want.length > 0) {
    for (const id of target.idsByName(want)) if (kindsCompat(target.typeById(id), localType)) out.push(id);
    for (const id of flavoredTargets(target)) {
      const t = target.typeById(id);
      if (essentialNameLength(t.name) === ess && t.name.slice(0, ess) === want && kindsCompat(t, localType)) out.push(id);
    }
  }
  return out.sort((a, b) => a - b);
}

const flavoredCache = new WeakMap<Btf, Set<number>>();
function flavoredTargets(btf: Btf): Set<number> {
  let s = flavoredCache.get(btf);
  if (s === undefined) {
    s = new Set();
    for (let id = 1; id < btf.count; id++) {
      const name = btf.nameOf(id);
      if (name.includes('___') && essentialNameLength(name) !== name.length) s.add(id);
    }
    flavoredCache.set(btf, s);
  }
  return s;
}

/** libbpf bpf_core_parse_spec. */
function parseSpec(btf: Btf, typeId: number, accessStr: string, kind: number): Spec {
  const spec: Spec = { btf, rootTypeId: typeId, kind, spec: [], raw: [], bitOffset: 0 };
  if (accessStr === '' || accessStr[0] === ':') throw new BtfError(`invalid access string ${JSON.stringify(accessStr)}`);
  if (isTypeBased(kind)) {
    if (accessStr !== '0') throw new BtfError(`type-based relocation with access string ${JSON.stringify(accessStr)}`);
    return spec;
  }
  for (const part of accessStr.split(':')) {
    if (!/^\d+$/.test(part)) throw new BtfError(`invalid access string ${JSON.stringify(accessStr)}`);
    if (spec.raw.length === SPEC_MAX_LEN) throw new BtfError(`access string longer than ${SPEC_MAX_LEN}`);
    spec.raw.push(Number(part));
  }
  let id = btf.resolveId(typeId);
  let t = btf.typeById(id);
  let accessIdx = spec.raw[0];
  spec.spec.push({ typeId: id, idx: accessIdx });
  if (isEnumvalBased(kind)) {
    if (!isAnyEnum(t) || spec.raw.length > 1 || accessIdx >= t.values.length) throw new BtfError(`invalid enum value accessor ${JSON.stringify(accessStr)}`);
    spec.spec[0].name = t.values[accessIdx].name;
    return spec;
  }
  if (!isFieldBased(kind)) throw new BtfError(`unknown relocation kind ${kind}`);
  spec.bitOffset = accessIdx * btf.sizeof(id) * 8;
  for (let i = 1; i < spec.raw.length; i++) {
    id = btf.resolveId(id);
    t = btf.typeById(id);
    accessIdx = spec.raw[i];
    if (isComposite(t)) {
      if (accessIdx >= t.members.length) throw new BtfError(`accessor ${accessIdx} out of range for ${btf.typeName(id)}`);
      const m = t.members[accessIdx];
      spec.bitOffset += m.bitOffset;
      if (m.name !== '') spec.spec.push({ typeId: id, idx: accessIdx, name: m.name });
      id = m.type;
    } else if (t.kind === 'ARRAY') {
      const elemId = btf.resolveId(t.type);
      const flex = isFlexArray(btf, spec.spec[spec.spec.length - 1], t.nelems);
      if (!flex && accessIdx >= t.nelems) throw new BtfError(`array index ${accessIdx} out of range for ${btf.typeName(id)}`);
      spec.spec.push({ typeId: elemId, idx: accessIdx });
      spec.bitOffset += accessIdx * btf.sizeof(elemId) * 8;
      id = elemId;
    } else {
      throw new BtfError(`relocation for ${btf.typeName(typeId)} (at idx ${i}) captures type [${id}] of unexpected kind ${t.kind}`);
    }
  }
  return spec;
}

/** libbpf is_flex_arr: a zero-length array that is the last member of its struct. */
function isFlexArray(btf: Btf, acc: Accessor | undefined, nelems: number): boolean {
  if (acc === undefined || acc.name === undefined || nelems > 0) return false;
  const t = btf.typeById(acc.typeId);
  return isComposite(t) && acc.idx === t.members.length - 1;
}

/** libbpf bpf_core_spec_match: undefined when the candidate does not match. */
function matchSpec(local: Spec, targ: Btf, candId: number): Spec | undefined {
  const ts: Spec = { btf: targ, rootTypeId: candId, kind: local.kind, spec: [], raw: [], bitOffset: 0 };
  if (isTypeBased(local.kind)) {
    if (local.kind === BPF_CORE.TYPE_MATCHES) {
      const r = typesMatch(local.btf, local.rootTypeId, targ, candId, false, TYPES_MATCH_LEVEL);
      if (r < 0) throw new BtfError('error matching candidate: type nesting too deep');
      return r > 0 ? ts : undefined;
    }
    return typesAreCompat(local.btf, local.rootTypeId, targ, candId, MAX_RESOLVE_DEPTH) ? ts : undefined;
  }
  const localAcc0 = local.spec[0];
  if (isEnumvalBased(local.kind)) {
    const targId = targ.resolveId(candId);
    const t = targ.typeById(targId);
    if (!isAnyEnum(t)) return undefined;
    const name = localAcc0.name ?? '';
    const ess = essentialNameLength(name);
    for (let i = 0; i < t.values.length; i++) {
      const tn = t.values[i].name;
      if (essentialNameLength(tn) !== ess || tn.slice(0, ess) !== name.slice(0, ess)) continue;
      ts.spec.push({ typeId: targId, idx: i, name: tn });
      ts.raw.push(i);
      return ts;
    }
    return undefined;
  }
  let targId = candId;
  for (let i = 0; i < local.spec.length; i++) {
    const la = local.spec[i];
    if (la.name !== undefined) {
      const next = matchMember(local.btf, la, targ, targId, ts, 0);
      if (next === undefined) return undefined;
      targId = next;
    } else {
      if (i > 0) {
        const a = targ.resolve(targId);
        if (a.kind !== 'ARRAY') return undefined;
        const flex = isFlexArray(targ, ts.spec[ts.spec.length - 1], a.nelems);
        if (!flex && la.idx >= a.nelems) return undefined;
        targId = targ.resolveId(a.type);
      }
      if (ts.raw.length === SPEC_MAX_LEN) throw new BtfError('target spec too deep');
      ts.spec.push({ typeId: targId, idx: la.idx });
      ts.raw.push(la.idx);
      ts.bitOffset += la.idx * targ.sizeof(targId) * 8;
    }
  }
  return ts;
}

/**
 * libbpf bpf_core_match_member: find the local member's name among the target struct's members,
 * descending into anonymous members. Returns the matched member's type id (the next target
 * type), or undefined.
 */
function matchMember(localBtf: Btf, la: Accessor, targ: Btf, targId: number, spec: Spec, depth: number): number | undefined {
  if (depth > MAX_RESOLVE_DEPTH) throw new BtfError('anonymous member nesting too deep');
  const localType = localBtf.typeById(la.typeId) as BtfComposite;
  const localMember = localType.members[la.idx];
  const tid = targ.resolveId(targId);
  const t = targ.typeById(tid);
  if (!isComposite(t)) return undefined;
  for (let i = 0; i < t.members.length; i++) {
    tick();
    const m = t.members[i];
    if (spec.raw.length === SPEC_MAX_LEN) throw new BtfError('target spec too deep');
    spec.bitOffset += m.bitOffset;
    spec.raw.push(i);
    if (m.name === '') {
      const found = matchMember(localBtf, la, targ, m.type, spec, depth + 1);
      if (found !== undefined) return found;
    } else if (m.name === localMember.name) {
      if (!fieldsAreCompat(localBtf, localMember.type, targ, m.type)) {
        // libbpf pops only the accessor here: raw_spec and bit_offset keep the member, and the
        // spec does not match anyway.
        return undefined;
      }
      spec.spec.push({ typeId: tid, idx: i, name: m.name });
      return m.type;
    }
    spec.bitOffset -= m.bitOffset;
    spec.raw.pop();
  }
  return undefined;
}

/** libbpf bpf_core_fields_are_compat. */
function fieldsAreCompat(lb: Btf, lid: number, tb: Btf, tid: number): boolean {
  for (let depth = MAX_RESOLVE_DEPTH; depth >= 0; depth--) {
    tick();
    const lt = lb.resolve(lid);
    const tt = tb.resolve(tid);
    if (isComposite(lt) && isComposite(tt)) return true;
    if (!kindsCompat(lt, tt)) return false;
    switch (lt.kind) {
      case 'PTR': case 'FLOAT': return true;
      case 'FWD': case 'ENUM': case 'ENUM64': return namesMatch(lt.name, tt.name);
      case 'INT': return intOffset(lt) === 0 && intOffset(tt) === 0;
      case 'ARRAY':
        lid = lt.type;
        tid = (tt as { type: number }).type;
        continue;
      default: return false;
    }
  }
  throw new BtfError('field type nesting too deep');
}

/** libbpf __bpf_core_types_are_compat. */
function typesAreCompat(lb: Btf, lid: number, tb: Btf, tid: number, level: number): boolean {
  for (let depth = level; depth >= 0; depth--) {
    tick();
    const lt = lb.resolve(lid);
    const tt = tb.resolve(tid);
    if (!kindsCompat(lt, tt)) return false;
    switch (lt.kind) {
      case 'VOID': case 'STRUCT': case 'UNION': case 'ENUM': case 'FWD': case 'ENUM64': return true;
      case 'INT': return intOffset(lt) === 0 && intOffset(tt) === 0;
      case 'PTR':
        lid = lt.type;
        tid = (tt as { type: number }).type;
        continue;
      case 'ARRAY':
        lid = lt.type;
        tid = (tt as { type: number }).type;
        continue;
      case 'FUNC_PROTO': {
        if (tt.kind !== 'FUNC_PROTO' || lt.params.length !== tt.params.length) return false;
        for (let i = 0; i < lt.params.length; i++) {
          if (!typesAreCompat(lb, lt.params[i].type, tb, tt.params[i].type, depth - 1)) return false;
        }
        lid = lt.type;
        tid = tt.type;
        continue;
      }
      default: return false;
    }
  }
  throw new BtfError('type nesting too deep');
}

/** libbpf's starting level for bpf_core_types_match. */
const TYPES_MATCH_LEVEL = 32;

/**
 * libbpf __bpf_core_types_match (TYPE_MATCHES): 1 match, 0 no match, -1 error (too deep).
 * Names must match (flavors ignored); integers by bit count and signedness; enums by enumerator
 * names (not values) and size; composites need every local member (by name) in the target;
 * behind a pointer a struct/union may match a forward declaration.
 */
function typesMatch(lb: Btf, lid: number, tb: Btf, tid: number, behindPtr: boolean, level: number): number {
  if (level <= 0) return -1;
  for (let depth = MAX_RESOLVE_DEPTH - 1; depth >= 0; depth--) {
    tick();
    const lt = lb.resolve(lid);
    const tt = tb.resolve(tid);
    if (!namesMatch(lt.name, tt.name)) return 0;
    switch (lt.kind) {
      case 'VOID': return tt.kind === 'VOID' ? 1 : 0;
      case 'FWD': {
        const lf = lt.union;
        if (behindPtr) {
          if (tt.kind === 'FWD') return lf === tt.union ? 1 : 0;
          return (tt.kind === 'STRUCT' && !lf) || (tt.kind === 'UNION' && lf) ? 1 : 0;
        }
        return tt.kind === 'FWD' && lf === tt.union ? 1 : 0;
      }
      case 'ENUM': case 'ENUM64':
        if (!isAnyEnum(tt)) return 0;
        return enumsMatch(lt, tt) ? 1 : 0;
      case 'STRUCT': case 'UNION':
        if (behindPtr) {
          if (lt.kind === tt.kind) return 1;
          if (tt.kind !== 'FWD') return 0;
          return (lt.kind === 'UNION') === tt.union ? 1 : 0;
        }
        if (lt.kind !== tt.kind) return 0;
        return compositesMatch(lb, lt, tb, tt as BtfComposite, behindPtr, level) ? 1 : 0;
      case 'INT':
        if (tt.kind !== 'INT') return 0;
        return lt.bits === tt.bits && lt.signed === tt.signed ? 1 : 0;
      case 'PTR':
        if (tt.kind !== 'PTR') return 0;
        behindPtr = true;
        lid = lt.type;
        tid = tt.type;
        continue;
      case 'ARRAY':
        if (tt.kind !== 'ARRAY' || lt.nelems !== tt.nelems) return 0;
        lid = lt.type;
        tid = tt.type;
        continue;
      case 'FUNC_PROTO': {
        if (tt.kind !== 'FUNC_PROTO' || lt.params.length !== tt.params.length) return 0;
        for (let i = 0; i < lt.params.length; i++) {
          const r = typesMatch(lb, lt.params[i].type, tb, tt.params[i].type, behindPtr, level - 1);
          if (r <= 0) return r;
        }
        lid = lt.type;
        tid = tt.type;
        continue;
      }
      default: return 0;
    }
  }
  return -1;
}

/** libbpf bpf_core_enums_match: same size, every local enumerator name present in the target. */
function enumsMatch(lt: BtfType & { kind: 'ENUM' | 'ENUM64' }, tt: BtfType & { kind: 'ENUM' | 'ENUM64' }): boolean {
  if (lt.size !== tt.size || lt.values.length > tt.values.length) return false;
  return lt.values.every((lv) => tt.values.some((tv) => namesMatch(lv.name, tv.name)));
}

/** libbpf bpf_core_composites_match: every local member has a same-named matching target member. */
function compositesMatch(lb: Btf, lt: BtfComposite, tb: Btf, tt: BtfComposite, behindPtr: boolean, level: number): boolean {
  if (lt.members.length > tt.members.length) return false;
  for (const lm of lt.members) {
    let matched = false;
    for (const tm of tt.members) {
      tick();
      if (!namesMatch(lm.name, tm.name)) continue;
      if (typesMatch(lb, lm.type, tb, tm.type, behindPtr, level - 1) > 0) {
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

/** libbpf bpf_core_calc_relo: original (local) and new (target) values. */
function calcResult(kind: number, localSpec: Spec, targSpec: Spec | undefined): ReloResult {
  const res: ReloResult = {
    origVal: 0n, newVal: 0n, poison: false, validate: true, failMemszAdjust: false, origSz: 0, newSz: 0, origTypeId: 0, newTypeId: 0,
  };
  try {
    if (isFieldBased(kind)) {
      const o = calcField(kind, localSpec);
      res.origVal = o.val; res.origSz = o.size; res.origTypeId = o.typeId; res.validate = o.validate;
      const n = calcField(kind, targSpec);
      res.newVal = n.val; res.newSz = n.size; res.newTypeId = n.typeId;
      if (res.origSz !== res.newSz && targSpec !== undefined) {
        // Only pointers and unsigned integers may change load/store size (zero extension keeps them right).
        const ot = localSpec.btf.typeById(res.origTypeId);
        const nt = targSpec.btf.typeById(res.newTypeId);
        const ok = (ot.kind === 'PTR' && nt.kind === 'PTR') ||
          (ot.kind === 'INT' && nt.kind === 'INT' && !ot.signed && !nt.signed);
        res.failMemszAdjust = !ok;
      }
    } else if (isTypeBased(kind)) {
      res.origVal = calcType(kind, localSpec);
      res.newVal = calcType(kind, targSpec);
    } else {
      res.origVal = calcEnumval(kind, localSpec);
      res.newVal = calcEnumval(kind, targSpec);
    }
  } catch (e) {
    if (!(e instanceof Poison)) throw e;
    res.poison = true;
  }
  return res;
}

/** libbpf bpf_core_calc_field_relo. */
function calcField(kind: number, spec: Spec | undefined): { val: bigint; size: number; typeId: number; validate: boolean } {
  if (kind === BPF_CORE.FIELD_EXISTS) return { val: spec ? 1n : 0n, size: 0, typeId: 0, validate: true };
  if (spec === undefined) throw new Poison();
  const btf = spec.btf;
  const acc = spec.spec[spec.spec.length - 1];
  if (acc.name === undefined) {
    // a[n]: only offset and size make sense.
    const sz = btf.sizeof(acc.typeId);
    if (kind === BPF_CORE.FIELD_BYTE_OFFSET) return { val: BigInt(Math.floor(spec.bitOffset / 8)), size: sz, typeId: acc.typeId, validate: true };
    if (kind === BPF_CORE.FIELD_BYTE_SIZE) return { val: BigInt(sz), size: 0, typeId: 0, validate: true };
    throw new BtfError(`relocation ${CORE_RELO_KIND_NAMES[kind]} can't be applied to an array access`);
  }
  const t = btf.typeById(acc.typeId) as BtfComposite;
  const m = t.members[acc.idx];
  const fieldTypeId = btf.resolveId(m.type);
  const mt = btf.typeById(fieldTypeId);
  const bitOff = spec.bitOffset;
  let bitSz = m.bitfieldSize;
  const bitfield = bitSz > 0;
  let byteSz: number;
  let byteOff: number;
  if (bitfield) {
    if ((mt.kind !== 'INT' && !isAnyEnum(mt)) || !(mt.size > 0)) throw new BtfError(`bitfield ${m.name} of non-integer type ${btf.typeName(fieldTypeId)}`);
    byteSz = mt.size;
    byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
      if (byteSz >= 8) throw new BtfError(`bitfield ${m.name} can't be read with a 64-bit load`);
      byteSz *= 2;
      byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    }
  } else {
    byteSz = btf.sizeof(fieldTypeId);
    byteOff = Math.floor(bitOff / 8);
    bitSz = byteSz * 8;
  }
  let validate = !bitfield;
  let val: number;
  let size = 0;
  let typeId = 0;
  switch (kind) {
    case BPF_CORE.FIELD_BYTE_OFFSET:
      val = byteOff;
      if (!bitfield) { size = byteSz; typeId = fieldTypeId; }
      break;
    case BPF_CORE.FIELD_BYTE_SIZE:
      val = byteSz;
      break;
    case BPF_CORE.FIELD_SIGNED:
      val = (isAnyEnum(mt) && mt.signed) || (mt.kind === 'INT' && mt.signed) ? 1 : 0;
      validate = true;
      break;
    case BPF_CORE.FIELD_LSHIFT_U64:
      val = 64 - (bitOff + bitSz - byteOff * 8); // little-endian
      break;
    default: // FIELD_RSHIFT_U64
      val = 64 - bitSz;
      validate = true;
      break;
  }
  return { val: BigInt(val), size, typeId, validate };
}

/** libbpf bpf_core_calc_type_relo: a missing target type gives 0, never poison. */
function calcType(kind: number, spec: Spec | undefined): bigint {
  if (spec === undefined) return 0n;
  switch (kind) {
    case BPF_CORE.TYPE_ID_LOCAL: case BPF_CORE.TYPE_ID_TARGET: return BigInt(spec.rootTypeId);
    case BPF_CORE.TYPE_EXISTS: case BPF_CORE.TYPE_MATCHES: return 1n;
    default: return BigInt(spec.btf.sizeof(spec.rootTypeId)); // TYPE_SIZE
  }
}

/** libbpf bpf_core_calc_enumval_relo. ENUM values are sign-extended s32, as libbpf reads them. */
function calcEnumval(kind: number, spec: Spec | undefined): bigint {
  if (kind === BPF_CORE.ENUMVAL_EXISTS) return spec ? 1n : 0n;
  if (spec === undefined) throw new Poison();
  const t = spec.btf.typeById(spec.spec[0].typeId);
  if (!isAnyEnum(t)) throw new BtfError('enum relocation on a non-enum');
  const v = t.values[spec.spec[0].idx].value;
  return t.kind === 'ENUM' ? BigInt.asUintN(64, BigInt.asIntN(32, v)) : BigInt.asUintN(64, v);
}

/** libbpf bpf_core_poison_insn: `call 0xbad2310`. */
function poisonInsn(dv: DataView, off: number, idx: number, log: string[] | undefined, prog: string): void {
  log?.push(`prog '${prog}': relo #${idx}: substituting insn #${off / 8} w/ invalid insn`);
  dv.setUint8(off, Op.CALL);
  dv.setUint8(off + 1, 0);
  dv.setInt16(off + 2, 0, true);
  dv.setInt32(off + 4, CORE_POISON_HELPER_ID, true);
}

/** libbpf bpf_core_patch_insn. */
function patchInsn(
  dv: DataView, off: number, res: ReloResult, idx: number, fail: (m: string) => never, log: string[] | undefined, prog: string,
): void {
  const insnIdx = off / 8;
  const code = dv.getUint8(off);
  const isLdImm64 = code === Op.LDDW;
  const poison = (): void => {
    if (isLdImm64 && off + 16 <= dv.byteLength) poisonInsn(dv, off + 8, idx, log, prog);
    poisonInsn(dv, off, idx, log, prog);
  };
  if (res.poison) return poison();
  const orig = res.origVal;
  const val = res.newVal;
  switch (opClass(code)) {
    case Class.ALU: case Class.ALU64: {
      if (opSource(code) !== Source.K) fail('ALU instruction does not take an immediate');
      const imm = dv.getInt32(off + 4, true);
      if (res.validate && BigInt(imm >>> 0) !== BigInt.asUintN(32, orig)) fail(`unexpected insn #${insnIdx} (ALU/ALU64) value: got ${imm >>> 0}, exp ${orig} -> ${val}`);
      dv.setInt32(off + 4, Number(BigInt.asIntN(32, val)), true);
      log?.push(`prog '${prog}': relo #${idx}: patched insn #${insnIdx} (ALU/ALU64) imm ${imm >>> 0} -> ${BigInt.asUintN(32, val)}`);
      return;
    }
    case Class.LDX: case Class.ST: case Class.STX: {
      const insnOff = dv.getInt16(off + 2, true);
      if (res.validate && BigInt(insnOff) !== orig) fail(`unexpected insn #${insnIdx} (LDX/ST/STX) value: got ${insnOff}, exp ${orig} -> ${val}`);
      if (val > BigInt(SHRT_MAX)) fail(`insn #${insnIdx} (LDX/ST/STX) value too big: ${val}`);
      if (res.failMemszAdjust) {
        log?.push(`prog '${prog}': relo #${idx}: insn #${insnIdx} (LDX/ST/STX) accesses field incorrectly`);
        return poison();
      }
      dv.setInt16(off + 2, Number(val), true);
      log?.push(`prog '${prog}': relo #${idx}: patched insn #${insnIdx} (LDX/ST/STX) off ${insnOff} -> ${val}`);
      if (res.newSz !== res.origSz) {
        const bytes = SIZE_BYTES[opSize(code) >> 3];
        if (bytes !== res.origSz) fail(`insn #${insnIdx} (LDX/ST/STX) unexpected mem size: got ${bytes}, exp ${res.origSz}`);
        const sizeField = res.newSz === 1 ? Size.B : res.newSz === 2 ? Size.H : res.newSz === 4 ? Size.W : res.newSz === 8 ? Size.DW : -1;
        if (sizeField < 0) fail(`invalid new mem size: ${res.newSz}`);
        dv.setUint8(off, opMode(code) | sizeField | opClass(code));
        log?.push(`prog '${prog}': relo #${idx}: patched insn #${insnIdx} (LDX/ST/STX) mem_sz ${res.origSz} -> ${res.newSz}`);
      }
      return;
    }
    case Class.LD: {
      if (!isLdImm64 || off + 16 > dv.byteLength) fail(`insn #${insnIdx} (LDIMM64) has unexpected form`);
      const regs = dv.getUint8(off + 1);
      if ((regs >> 4) !== 0 || dv.getInt16(off + 2, true) !== 0 || dv.getUint8(off + 8) !== 0 || dv.getUint8(off + 9) !== 0 || dv.getInt16(off + 10, true) !== 0) {
        fail(`insn #${insnIdx} (LDIMM64) has unexpected form`);
      }
      const imm = (BigInt(dv.getUint32(off + 12, true)) << 32n) | BigInt(dv.getUint32(off + 4, true));
      if (res.validate && imm !== BigInt.asUintN(64, orig)) fail(`unexpected insn #${insnIdx} (LDIMM64) value: got ${imm}, exp ${orig} -> ${val}`);
      const v = BigInt.asUintN(64, val);
      dv.setUint32(off + 4, Number(v & 0xffffffffn), true);
      dv.setUint32(off + 12, Number(v >> 32n), true);
      log?.push(`prog '${prog}': relo #${idx}: patched insn #${insnIdx} (LDIMM64) imm64 ${imm} -> ${v}`);
      return;
    }
    default:
      fail(`trying to relocate unrecognized insn #${insnIdx}, code 0x${code.toString(16)}`);
  }
}
