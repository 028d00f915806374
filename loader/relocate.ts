/**
 * @fileoverview Relocations of executable sections and bpf-to-bpf linking.
 *
 * Step 1, per section (`relocateSection`): apply the section's SHT_REL entries to a private
 * copy of its instructions, making every external reference symbolic (see spec.ts):
 *
 *   R_BPF_64_64 (1) on lddw  -> map (src 5), global data (src 6) or subprogram address (src 4)
 *   R_BPF_64_32 (10) on call -> subprogram call (src 1) or kfunc (src 2)
 *   R_BPF_64_ABS64 (2), R_BPF_64_ABS32 (3), R_BPF_64_NODYLD32 (4) -> only valid in data/BTF
 *                               sections (ignored there, like libbpf); an error in code.
 *
 * and record, for every call / function-address instruction, which function it targets
 * (libbpf bpf_object__reloc_code's rules):
 *   call with relocation:    target slot = sym.st_value/8 + imm + 1   (imm = -1 for a FUNC symbol)
 *   lddw with relocation:    target slot = (sym.st_value + imm) / 8
 *   call without relocation: target slot = this slot + imm + 1, same section
 *
 * Step 2, per entry program (`linkProgram`): the entry function first, then every function it
 * reaches, each appended once, depth-first in instruction order (libbpf's layout); call/lddw imm are rewritten to
 * pc-relative deltas in the linked image.
 */
import { ElfError, RelocationError } from '../vm/errors.js';
import { CallSrc, MAX_INSNS, Op, PseudoSrc } from '../vm/isa.js';
import { SHN_LORESERVE, SHN_UNDEF, STB_WEAK, type ElfRel, type ElfSection, type SafeElfFile } from './elf-file.js';
import { externFuncInBtf, findKfunc, kfuncAddress, kfuncProtoMismatch } from './kfuncs.js';
import type { Btf } from './btf/index.js';
import type { MapEntry } from './maps.js';
import type { SectionKind } from './sections.js';
import type { SubprogramRef } from './spec.js';
import type { FuncUnit } from './symbols.js';

/** ELF relocation types for BPF (llvm/BinaryFormat/ELFRelocs/BPF.def). */
export const R_BPF = {
  R_BPF_NONE: 0,
  R_BPF_64_64: 1,
  R_BPF_64_ABS64: 2,
  R_BPF_64_ABS32: 3,
  R_BPF_64_NODYLD32: 4,
  R_BPF_64_32: 10,
} as const;

/** A call or function-address instruction and the function slot it targets. */
export interface CodeRef {
  readonly section: number;
  readonly slot: number;
}

/** One executable section after relocation. */
export interface SectionCode {
  readonly section: ElfSection;
  /** Relocated copy of the section's instructions. */
  readonly insns: Uint8Array;
  readonly dv: DataView;
  readonly slots: number;
  /** Functions by start slot. */
  readonly funcs: Map<number, FuncUnit>;
  /** slot -> target function for bpf-to-bpf calls and subprogram addresses. */
  readonly refs: Map<number, CodeRef>;
  /**
   * slot -> kfunc name, for calls to kfuncs tcxlab does not implement. The object still loads;
   * only the programs that link such a call are refused (ProgramSpec.unsupported).
   */
  readonly unknownKfuncs: Map<number, string>;
}

/** What relocation needs to know about the rest of the object. */
export interface RelocContext {
  readonly elf: SafeElfFile;
  readonly kinds: readonly SectionKind[];
  /** Maps by defining section, in spec order (index = position in spec.maps). */
  readonly maps: readonly MapEntry[];
  readonly kfuncs?: ReadonlyMap<string, number>;
  /** The object's BTF: kfunc prototypes are checked against it, as libbpf does. */
  readonly btf?: Btf;
}

/** Index of ctx.maps: definition (section, offset) -> map index, and data section -> map index. */
interface MapIndex {
  readonly byDef: Map<string, number>;
  readonly byDataSection: Map<number, number>;
}
const mapIndexes = new WeakMap<readonly MapEntry[], MapIndex>();
function mapIndex(maps: readonly MapEntry[]): MapIndex {
  let ix = mapIndexes.get(maps);
  if (ix === undefined) {
    ix = { byDef: new Map(), byDataSection: new Map() };
    maps.forEach((m, i) => {
      if (m.spec.source === 'data') ix!.byDataSection.set(m.section, i);
      else ix!.byDef.set(`${m.section}:${m.offset}`, i);
    });
    mapIndexes.set(maps, ix);
  }
  return ix;
}

const isExec = (k: SectionKind | undefined): boolean => k === 'program' || k === 'text';

/** Prepare an executable section: copy its code and index its functions. */
export function sectionCode(section: ElfSection, funcs: readonly FuncUnit[]): SectionCode {
  if (section.data.length % 8 !== 0) {
    throw new ElfError(`code size ${section.data.length} is not a multiple of 8`, { section: section.name });
  }
  const insns = section.data.slice();
  return {
    section,
    insns,
    dv: new DataView(insns.buffer, insns.byteOffset, insns.byteLength),
    slots: insns.length / 8,
    funcs: new Map(funcs.map((f) => [f.start, f])),
    refs: new Map(),
    unknownKfuncs: new Map(),
  };
}

function setSrc(code: SectionCode, slot: number, src: number): void {
  const b = slot * 8 + 1;
  code.insns[b] = (code.insns[b] & 0x0f) | (src << 4);
}
const srcOf = (code: SectionCode, slot: number): number => code.insns[slot * 8 + 1] >> 4;
const immOf = (code: SectionCode, slot: number): number => code.dv.getInt32(slot * 8 + 4, true);
const setImm = (code: SectionCode, slot: number, v: number): void => code.dv.setInt32(slot * 8 + 4, v | 0, true);

/** Apply the relocations of `code`'s section (step 1). */
export function relocateSection(code: SectionCode, rels: readonly ElfRel[], ctx: RelocContext): void {
  const secName = code.section.name;
  const relocated = new Set<number>();
  for (const rel of rels) {
    const sym = ctx.elf.symbols[rel.symbol];
    const loc = { section: secName, offset: rel.offset, symbol: sym.name };
    if (rel.type === R_BPF.R_BPF_NONE) continue;
    if (rel.offset % 8 !== 0 || rel.offset >= code.insns.length) {
      throw new RelocationError('relocation offset is not an instruction in the section', loc);
    }
    const slot = rel.offset / 8;
    if (relocated.has(slot)) throw new RelocationError('two relocations for one instruction', loc);
    relocated.add(slot);
    const op = code.insns[slot * 8];
    switch (rel.type) {
      case R_BPF.R_BPF_64_64: {
        if (op !== Op.LDDW || slot + 1 >= code.slots) throw new RelocationError(`R_BPF_64_64 on a non-lddw instruction (op 0x${op.toString(16)})`, loc);
        if (srcOf(code, slot) !== PseudoSrc.IMM) throw new RelocationError('relocated lddw already has a pseudo src', loc);
        // The address of an extern kfunc (bpf_ksym_exists): libbpf's RELO_EXTERN_LD64 for a ksym
        // function. Known: a non-zero address; unknown and __weak: 0 (and the call becomes imm 0).
        if (sym.shndx === SHN_UNDEF && externFuncInBtf(ctx.btf, sym.name)) {
          const k = findKfunc(sym.name, ctx.kfuncs);
          // Unknown and not __weak: the program is refused (like a call to it), the object loads.
          if (k === undefined && sym.bind !== STB_WEAK) code.unknownKfuncs.set(slot, sym.name);
          const bad = k?.record && kfuncProtoMismatch(ctx.btf, sym.name, k.record);
          if (bad) throw new RelocationError(`kfunc ${JSON.stringify(sym.name)}: ${bad}`, loc);
          const [lo, hi] = k === undefined ? [0, 0] : kfuncAddress(k.id);
          setImm(code, slot, lo);
          setImm(code, slot + 1, hi);
          break;
        }
        relocateLdImm64(code, slot, sym.shndx, sym.value, loc, ctx);
        break;
      }
      case R_BPF.R_BPF_64_32: {
        if (op !== Op.CALL) throw new RelocationError(`R_BPF_64_32 on a non-call instruction (op 0x${op.toString(16)})`, loc);
        if (sym.shndx === SHN_UNDEF) {
          const k = findKfunc(sym.name, ctx.kfuncs);
          // An unresolved __weak kfunc: libbpf leaves `call` imm 0 for the kernel's dead-code pass.
          const weak = k === undefined && sym.bind === STB_WEAK && externFuncInBtf(ctx.btf, sym.name);
          const bad = k?.record && kfuncProtoMismatch(ctx.btf, sym.name, k.record);
          if (bad) throw new RelocationError(`kfunc ${JSON.stringify(sym.name)}: ${bad}`, loc);
          setSrc(code, slot, CallSrc.BPF_PSEUDO_KFUNC_CALL);
          code.dv.setInt16(slot * 8 + 2, 0, true);
          // An unknown kfunc gets imm 0: programs linking it are refused, so it is never bound.
          if (k === undefined && !weak) code.unknownKfuncs.set(slot, sym.name);
          setImm(code, slot, k?.id ?? 0);
          break;
        }
        if (sym.shndx >= SHN_LORESERVE || !isExec(ctx.kinds[sym.shndx])) {
          throw new RelocationError('call target is not in an executable section', loc);
        }
        if (sym.value % 8 !== 0) throw new RelocationError('call target symbol is not instruction-aligned', loc);
        setSrc(code, slot, CallSrc.BPF_PSEUDO_CALL);
        code.refs.set(slot, { section: sym.shndx, slot: sym.value / 8 + immOf(code, slot) + 1 });
        break;
      }
      case R_BPF.R_BPF_64_ABS64:
      case R_BPF.R_BPF_64_ABS32:
      case R_BPF.R_BPF_64_NODYLD32:
        throw new RelocationError(`data relocation type ${rel.type} in code`, loc);
      default:
        throw new RelocationError(`unknown relocation type ${rel.type}`, loc);
    }
  }
  // Same-section calls carry no relocation: the imm is already pc-relative (clang resolves them).
  for (let slot = 0; slot < code.slots; slot++) {
    const op = code.insns[slot * 8];
    if (op === Op.LDDW) {
      if (!relocated.has(slot) && srcOf(code, slot) !== PseudoSrc.IMM) {
        throw new RelocationError(`lddw with pseudo src ${srcOf(code, slot)} and no relocation`, {
          section: secName,
          offset: slot * 8,
        });
      }
      slot++;
      continue;
    }
    if (op !== Op.CALL || relocated.has(slot)) continue;
    const src = srcOf(code, slot);
    if (src === CallSrc.BPF_PSEUDO_CALL) {
      code.refs.set(slot, { section: code.section.index, slot: slot + immOf(code, slot) + 1 });
    } else if (src !== CallSrc.HELPER) {
      throw new RelocationError(`call with src ${src} and no relocation`, { section: secName, offset: slot * 8 });
    }
  }
}

function relocateLdImm64(
  code: SectionCode,
  slot: number,
  shndx: number,
  symValue: number,
  loc: { section: string; offset: number; symbol: string },
  ctx: RelocContext,
): void {
  if (shndx === SHN_UNDEF) throw new RelocationError('extern variable (.kconfig/.ksyms) is not supported', loc);
  if (shndx >= SHN_LORESERVE || shndx >= ctx.kinds.length) throw new RelocationError(`symbol in special section ${shndx}`, loc);
  const kind = ctx.kinds[shndx];
  const imm = immOf(code, slot);
  const off = symValue + imm;
  switch (kind) {
    case 'btf-maps':
    case 'legacy-maps': {
      const idx = mapIndex(ctx.maps).byDef.get(`${shndx}:${off}`);
      if (idx === undefined) throw new RelocationError(`no map defined at offset 0x${off.toString(16)}`, loc);
      setSrc(code, slot, PseudoSrc.BPF_PSEUDO_MAP_IDX);
      setImm(code, slot, idx);
      setImm(code, slot + 1, 0);
      return;
    }
    case 'data':
    case 'rodata':
    case 'bss': {
      const idx = mapIndex(ctx.maps).byDataSection.get(shndx);
      if (idx === undefined) throw new RelocationError('reference to an empty data section', loc);
      if (off < 0 || off > ctx.maps[idx].size) {
        throw new RelocationError(`offset ${off} outside the data section (size ${ctx.maps[idx].size})`, loc);
      }
      // libbpf: insn[1].imm = insn[0].imm + sym_off; insn[0].imm = map index.
      setSrc(code, slot, PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE);
      setImm(code, slot, idx);
      setImm(code, slot + 1, off);
      return;
    }
    case 'program':
    case 'text': {
      // Address of a subprogram (callbacks: bpf_loop, bpf_for_each_map_elem, timers).
      if (off % 8 !== 0) throw new RelocationError('function address is not instruction-aligned', loc);
      setSrc(code, slot, PseudoSrc.BPF_PSEUDO_FUNC);
      code.refs.set(slot, { section: shndx, slot: off / 8 });
      return;
    }
    default:
      throw new RelocationError(`reference into section ${JSON.stringify(ctx.elf.sections[shndx]?.name ?? '')} is not supported`, loc);
  }
}

/** One function placed in a linked program. */
export interface Placement {
  readonly unit: FuncUnit;
  /** First slot in the linked program. */
  readonly at: number;
}

/** A linked program: bytes and where each function landed. */
export interface LinkedCode {
  readonly instructions: Uint8Array;
  readonly placements: readonly Placement[];
  readonly subprograms: SubprogramRef[];
  /** Calls to kfuncs tcxlab does not implement, by linked instruction index. */
  readonly unknownKfuncs: readonly { insn: number; name: string }[];
}

/**
 * Link `entry` with every function it reaches (step 2; libbpf bpf_object__reloc_code), then
 * `exceptionCb` (with what it reaches) when nothing placed it yet: the program's exception
 * callback, which nothing calls (libbpf bpf_object__relocate appends it last).
 */
export function linkProgram(entry: FuncUnit, codes: ReadonlyMap<number, SectionCode>, maxSlots = MAX_INSNS, exceptionCb?: FuncUnit): LinkedCode {
  const placed = new Map<FuncUnit, number>([[entry, 0]]);
  const order: Placement[] = [{ unit: entry, at: 0 }];
  let total = entry.length;
  const resolve = (code: SectionCode, slot: number, ref: CodeRef): FuncUnit => {
    const target = codes.get(ref.section);
    const fn = target?.funcs.get(ref.slot);
    if (fn === undefined) {
      throw new RelocationError(`call target slot ${ref.slot} is not the start of a function`, {
        section: code.section.name,
        offset: slot * 8,
      });
    }
    return fn;
  };
  // Depth-first, in instruction order, like libbpf's bpf_object__reloc_code (which appends a
  // subprogram and recurses into it before scanning on), so instruction indexes match what the
  // kernel sees from libbpf. An explicit stack instead of recursion: hostile call chains are deep.
  const stack: { unit: FuncUnit; next: number }[] = [{ unit: entry, next: entry.start }];
  const place = (fn: FuncUnit): void => {
    placed.set(fn, total);
    order.push({ unit: fn, at: total });
    total += fn.length;
    if (total > maxSlots) {
      throw new ElfError(`linked program ${JSON.stringify(entry.name)} exceeds ${maxSlots} instructions`, {
        section: entry.section.name,
      });
    }
    stack.push({ unit: fn, next: fn.start });
  };
  for (;;) {
    if (stack.length === 0) {
      if (exceptionCb === undefined || placed.has(exceptionCb)) break;
      place(exceptionCb);
    }
    const frame = stack[stack.length - 1];
    const { unit } = frame;
    const code = codes.get(unit.section.index)!;
    let descended = false;
    while (frame.next < unit.start + unit.length) {
      const s = frame.next++;
      const ref = code.refs.get(s);
      if (ref === undefined) continue;
      const fn = resolve(code, s, ref);
      if (placed.has(fn)) continue;
      place(fn);
      descended = true;
      break;
    }
    if (!descended) stack.pop();
  }
  const out = new Uint8Array(total * 8);
  const dv = new DataView(out.buffer);
  for (const { unit, at } of order) {
    const code = codes.get(unit.section.index)!;
    out.set(code.insns.subarray(unit.start * 8, (unit.start + unit.length) * 8), at * 8);
    for (let s = unit.start; s < unit.start + unit.length; s++) {
      const ref = code.refs.get(s);
      if (ref === undefined) continue;
      const here = at + (s - unit.start);
      const there = placed.get(resolve(code, s, ref))!;
      dv.setInt32(here * 8 + 4, there - (here + 1), true);
    }
  }
  const subprograms = order.slice(1).map(({ unit, at }) => ({ name: unit.name, insn: at, length: unit.length }));
  const unknownKfuncs: { insn: number; name: string }[] = [];
  for (const { unit, at } of order) {
    const code = codes.get(unit.section.index)!;
    for (const [s, name] of code.unknownKfuncs) {
      if (s >= unit.start && s < unit.start + unit.length) unknownKfuncs.push({ insn: at + (s - unit.start), name });
    }
  }
  unknownKfuncs.sort((a, b) => a.insn - b.insn);
  return { instructions: out, placements: order, subprograms, unknownKfuncs };
}
