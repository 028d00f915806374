/**
 * @fileoverview What the verifier (vm/verifier/) needs to know about an object's program: its
 * program type (for tc: the __sk_buff rules of src/skb/verifier-type.ts), the maps its lddw
 * instructions name (sizes, flags, frozen .rodata contents for bpf_map_direct_read, and the
 * bpf_spin_lock / bpf_timer offsets found in the value's BTF), GPL and line info.
 */
import type { Btf } from '../loader/btf/parse.js';
import type { CollectionSpec, MapSpec, ProgramSpec } from '../loader/spec.js';
import type { MapDesc, ProgramTypeDesc, VerifierOptions } from '../vm/verifier/index.js';
import { exceptionCallbackOf } from './exception-cb.js';
import { globalFuncsOf, nonScalarReturnsOf } from './global-funcs.js';
import { SCHED_CLS_TYPE, SOCKET_FILTER_TYPE, lwtType } from './skb/verifier-type.js';
import { BPF_F_RDONLY_PROG, BPF_PROG_TYPE } from './uapi.js';


/** license_is_gpl_compatible() (include/linux/license.h). */
export function isGplCompatible(license: string): boolean {
  return ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'].includes(license);
}

/** Offset of the first member of struct type `name` inside type `id` (depth-first), if any. */
function findStruct(btf: Btf, id: number, name: string, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  const t = btf.typeById(id);
  switch (t.kind) {
    case 'STRUCT':
    case 'UNION':
      if (t.name === name) return 0;
      for (const m of t.members) {
        const o = findStruct(btf, m.type, name, depth + 1);
        if (o !== undefined) return m.bitOffset / 8 + o;
      }
      return undefined;
    case 'DATASEC':
      // global data (`private(A) struct bpf_spin_lock lock`): its variables at their offsets
      for (const v of t.vars) {
        const o = findStruct(btf, v.type, name, depth + 1);
        if (o !== undefined) return v.offset + o;
      }
      return undefined;
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
    case 'VAR':
      return findStruct(btf, t.type, name, depth + 1);
    default:
      return undefined;
  }
}

/** The verifier's view of one map. */
export function mapDesc(spec: MapSpec, btf: Btf | undefined): MapDesc {
  let spinLockOff: number | undefined;
  let timerOff: number | undefined;
  if (btf && spec.btfValueTypeId) {
    try {
      spinLockOff = findStruct(btf, spec.btfValueTypeId, 'bpf_spin_lock');
      timerOff = findStruct(btf, spec.btfValueTypeId, 'bpf_timer');
    } catch {
      // malformed BTF: no special fields
    }
  }
  const readOnly = spec.readOnly === true;
  return {
    name: spec.name,
    type: spec.type.id,
    keySize: spec.keySize,
    valueSize: spec.valueSize,
    maxEntries: spec.maxEntries,
    flags: spec.flags | (readOnly ? BPF_F_RDONLY_PROG : 0),
    frozenReadOnly: readOnly,
    frozenValue: readOnly ? spec.initialValue : undefined,
    spinLockOff,
    timerOff,
    inner: spec.innerMap ? mapDesc(spec.innerMap, btf) : undefined,
  };
}

/** The program type descriptor of a program (__sk_buff types; others are verified as sched_cls). */
export function programTypeOf(prog: ProgramSpec): ProgramTypeDesc | undefined {
  const id = prog.type.id;
  if (id === BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS || id === BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_ACT) return SCHED_CLS_TYPE;
  if (id === BPF_PROG_TYPE.BPF_PROG_TYPE_SOCKET_FILTER) return SOCKET_FILTER_TYPE;
  if (id === BPF_PROG_TYPE.BPF_PROG_TYPE_LWT_IN || id === BPF_PROG_TYPE.BPF_PROG_TYPE_LWT_OUT) return lwtType(false);
  if (id === BPF_PROG_TYPE.BPF_PROG_TYPE_LWT_XMIT) return lwtType(true);
  return undefined;
}

/** Verifier options for one program of a collection spec. */
export function verifierOptionsFor(spec: CollectionSpec, prog: ProgramSpec, extra: Partial<VerifierOptions> = {}): VerifierOptions {
  const lines = new Map(prog.lineInfo.map((l) => [l.insn, l] as const));
  return {
    progType: programTypeOf(prog) ?? SCHED_CLS_TYPE,
    maps: spec.maps.map((m) => mapDesc(m, spec.btf)),
    gplCompatible: isGplCompatible(spec.license),
    lineInfo: (i) => lines.get(i),
    hasFuncInfo: (prog.funcInfo?.length ?? 0) > 0 || spec.btf !== undefined,
    // kfunc calls were resolved (or refused) by the loader already
    kfuncAllowed: () => true,
    globalFuncs: globalFuncsOf(spec, prog),
    nonScalarReturns: nonScalarReturnsOf(spec, prog),
    exceptionCallback: exceptionCallbackOf(spec, prog),
    ...extra,
  };
}
