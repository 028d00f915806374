/**
 * @fileoverview loadCollectionSpec: unmodified clang BPF object bytes -> a deterministic
 * CollectionSpec. A list of named steps (cilium/ebpf's LoadCollectionSpecFromReader); each step's
 * errors are ElfError / BtfError / RelocationError with section, offset and symbol.
 *
 *   parse ELF -> classify sections -> license/version -> BTF -> maps (legacy, .maps, data)
 *   -> functions -> relocate code sections -> CO-RE -> link programs -> line info -> map contents
 */
import { BpfError, ElfError, RelocationError, UnknownSectionError } from '../vm/errors.js';
import { BPF_FS_DEFAULT_PATH as BPFFS, BPF_MAP_TYPE, BPF_PROG_TYPE, LIBBPF_PIN_BY_NAME } from '../vm/uapi.js';
import { SafeElfFile, STT_FUNC, STT_SECTION, STV_HIDDEN, STV_INTERNAL, cString, type ElfSection } from './elf-file.js';
import { dataMap, MAX_DATA_SECTION } from './data.js';
import { sectionVariables } from './variables.js';
import { btfMaps, legacyMaps, linkIproute2Inner, u32le, type BtfMapDef, type MapEntry } from './maps.js';
import { exceptionCallbackUnit } from './exception-cb.js';
import { linkProgram, relocateSection, sectionCode, type SectionCode } from './relocate.js';
import {
  classifySection,
  iproute2ProgArraySlot,
  programTypeForSection,
  resolveProgramType,
  type ProgramTypeOption,
  type SectionKind,
  type TypeRef,
} from './sections.js';
import type { CollectionSpec, FuncInfo, LineInfo, ProgramSpec } from './spec.js';
import { nodeCrypto } from './lazy-builtins.js';
import { sectionFunctions, type FuncUnit } from './symbols.js';
import { applyCore, btfMapDefinitions, datasecTypeId, DEFAULT_TARGET_NAME, parseBtf, parseBtfExt, type Btf, type BtfExt } from './btf/index.js';

export type { CollectionSpec, ProgramSpec, MapSpec, LineInfo, FuncInfo, SubprogramRef, MapSource, TypeRef, Unsupported, VariableSpec } from './spec.js';
export { SafeElfFile } from './elf-file.js';
export { programTypeForSection, resolveProgramType, SECTION_DEFS } from './sections.js';
export { KFUNCS } from './kfuncs.js';

/** Options of loadCollectionSpec. */
export interface LoadOptions {
  /**
   * Program type for executable sections whose name libbpf does not know (like bpftool's
   * `type classifier`): a number, `BPF_PROG_TYPE_SCHED_CLS`, `sched_cls`, or `classifier`.
   */
  programType?: ProgramTypeOption;
  /** vmlinux BTF (raw .BTF bytes, e.g. /sys/kernel/btf/vmlinux) for CO-RE relocations. */
  btf?: Uint8Array;
  /** Extra kfuncs the runtime implements: name -> tcxlab kfunc id. */
  kfuncs?: ReadonlyMap<string, number>;
  /**
   * 'none': no map is pinned and any BTF `pinning` value is accepted (cilium/ebpf's PinNone, what
   * Cilium's BPF test runner sets for every map). Default 'libbpf': LIBBPF_PIN_NONE or BY_NAME.
   */
  pinning?: 'libbpf' | 'none';
}

/** Total linked instruction slots over all programs (guards against quadratic subprogram reuse). */
const MAX_TOTAL_SLOTS = 8 << 20;

/** Load an object. Throws only BpfError subclasses (ElfError, BtfError, RelocationError...). */
export function loadCollectionSpec(bytes: Uint8Array, opts: LoadOptions = {}): CollectionSpec {
  try {
    // Work on a private copy: a Node Buffer's slice() is a view, so section data taken from the
    // caller's bytes would otherwise be relocated in place (and a second load would see it).
    return load(Uint8Array.prototype.slice.call(bytes), opts);
  } catch (e) {
    if (e instanceof BpfError) throw e;
    // Anything else on hostile input is a bug; still never let a TypeError/RangeError escape.
    throw new ElfError(`internal error while loading (${e instanceof Error ? e.name : 'unknown'})`, {}, e);
  }
}

function load(bytes: Uint8Array, opts: LoadOptions): CollectionSpec {
  // Step: parse ELF.
  const elf = SafeElfFile.parse(bytes);
  const kinds: SectionKind[] = elf.sections.map(classifySection);
  const ofKind = (k: SectionKind): ElfSection[] => elf.sections.filter((_, i) => kinds[i] === k);

  // Step: license and kernel version.
  const licenseSec = ofKind('license')[0];
  const license = licenseSec ? (cString(licenseSec.data, 0) ?? '') : '';
  let kernelVersion: number | undefined;
  const versionSec = ofKind('version')[0];
  if (versionSec) {
    if (versionSec.data.length !== 4) throw new ElfError(`version section size ${versionSec.data.length} is not 4`, { section: 'version' });
    kernelVersion = new DataView(versionSec.data.buffer, versionSec.data.byteOffset, 4).getUint32(0, true);
  }

  // Step: BTF (the object's own types) and .BTF.ext.
  const btfSec = ofKind('btf')[0];
  const btfExtSec = ofKind('btf-ext')[0];
  const btf: Btf | undefined = btfSec ? parseBtf(btfSec.data) : undefined;
  const btfExt: BtfExt | undefined = btf && btfExtSec ? parseBtfExt(btfExtSec.data, btf) : undefined;

  // Step: maps. libbpf order: legacy `maps`, then BTF `.maps`, then global data sections.
  const entries: MapEntry[] = [];
  for (const s of ofKind('legacy-maps')) entries.push(...legacyMaps(s, elf.symbols));
  linkIproute2Inner(entries);
  for (const s of ofKind('btf-maps')) {
    if (btf === undefined) throw new ElfError('.maps section without .BTF', { section: s.name });
    // clang leaves DATASEC offsets at 0; the symbol table has the real ones (libbpf btf_fixup_datasec).
    const symOff = new Map<string, number>();
    for (const sym of elf.symbols) if (sym.shndx === s.index && sym.type !== STT_SECTION) symOff.set(sym.name, sym.value);
    const defs: BtfMapDef[] = btfMapDefinitions(btf, s.name, { sectionSize: s.size, symbolOffset: (n) => symOff.get(n), anyPinning: opts.pinning === 'none' });
    entries.push(...btfMaps(s, defs));
  }
  let dataBytes = 0;
  for (const s of elf.sections) {
    const k = kinds[s.index];
    if (k !== 'data' && k !== 'rodata' && k !== 'bss') continue;
    // .bss costs no file bytes, so bound what we allocate for all data sections together.
    dataBytes += s.size;
    if (dataBytes > MAX_DATA_SECTION) throw new ElfError(`global data exceeds ${MAX_DATA_SECTION} bytes in total`, { section: s.name });
    const dsId = btf ? datasecTypeId(btf, s.name) : undefined;
    const e = dataMap(s, k, dsId, btf !== undefined && dsId !== undefined && hasGlobalVar(btf, dsId));
    if (e && btf !== undefined && dsId !== undefined) {
      const variables = sectionVariables(btf, dsId, s, elf.symbols);
      if (variables.length > 0) e.spec = { ...e.spec, variables };
    }
    if (e) entries.push(e);
  }

  // Step: pin paths (maps shared by name between objects, see MapSpec.pinPath).
  if (opts.pinning !== 'none') assignPinPaths(entries, bytes);

  // Step: functions and relocations of every executable section.
  const codes = new Map<number, SectionCode>();
  const entryUnits: FuncUnit[] = [];
  const textUnits: FuncUnit[] = [];
  for (const s of elf.sections) {
    const k = kinds[s.index];
    if (k !== 'program' && k !== 'text') continue;
    const funcs = sectionFunctions(s, elf.symbols);
    codes.set(s.index, sectionCode(s, funcs));
    if (k === 'program') entryUnits.push(...funcs);
    else textUnits.push(...funcs);
  }
  // libbpf marks a global function of restricted visibility static (bpf_object__init_prog)
  const hiddenFunc = (f: FuncUnit): boolean =>
    elf.symbols.some((s) => s.shndx === f.section.index && s.value === f.start * 8 && s.name === f.name && (s.visibility === STV_HIDDEN || s.visibility === STV_INTERNAL));
  const ctx = { elf, kinds, maps: entries, kfuncs: opts.kfuncs, btf };
  for (const code of codes.values()) {
    const rel = elf.relocations.get(code.section.index);
    relocateSection(code, rel?.rels ?? [], ctx);
  }

  // Step: CO-RE, on each section's relocated code, before linking (relocation offsets are section offsets).
  // The target is opts.btf (vmlinux BTF bytes) or the default target (loader/btf/target.ts: the
  // reference kernel's vmlinux BTF, decompressed and parsed only when an object needs it).
  let coreTarget: string | undefined;
  if (btf !== undefined && btfExt !== undefined) {
    for (const code of codes.values()) {
      if (applyCore(btf, btfExt, code.section.name, code.insns, opts.btf)) coreTarget = opts.btf !== undefined ? 'btf option' : DEFAULT_TARGET_NAME;
    }
  }

  // Step: program types.
  const userType = opts.programType !== undefined ? resolveProgramType(opts.programType) : undefined;
  const typeOf = (s: ElfSection): { type: TypeRef; attachType?: TypeRef } => {
    const known = programTypeForSection(s.name);
    if (known) return known;
    if (userType) return userType;
    // iproute2 "ID/KEY" tail-call sections are loaded with the type of the object (tc: cls_bpf).
    if (iproute2ProgArraySlot(s.name)) {
      return { type: { id: BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS, name: 'BPF_PROG_TYPE_SCHED_CLS' } };
    }
    throw new UnknownSectionError(
      'no program type for this section name (pass programType, like bpftool\'s "type classifier")',
      { section: s.name },
    );
  };

  // Step: link every entry program.
  const programs: ProgramSpec[] = [];
  let totalSlots = 0;
  for (const unit of entryUnits) {
    const { type, attachType } = typeOf(unit.section);
    const excCb = exceptionCallbackUnit(btf, unit, textUnits, hiddenFunc);
    const linked = linkProgram(unit, codes, undefined, excCb);
    totalSlots += linked.instructions.length / 8;
    if (totalSlots > MAX_TOTAL_SLOTS) throw new ElfError(`linked programs exceed ${MAX_TOTAL_SLOTS} instructions in total`);
    const lineInfo: LineInfo[] = [];
    const funcInfo: FuncInfo[] = [];
    if (btf !== undefined && btfExt !== undefined) {
      // .BTF.ext offsets are bytes from the start of the function's section; re-base them on
      // where each function landed in the linked program.
      for (const { unit: u, at } of linked.placements) {
        const lo = u.start;
        const hi = u.start + u.length;
        for (const li of btfExt.lineInfo.get(u.section.name) ?? []) {
          const slot = li.insnOff / 8;
          if (slot >= lo && slot < hi) lineInfo.push({ insn: at + (slot - lo), file: li.file, line: li.line, col: li.col, text: li.text });
        }
        for (const fi of btfExt.funcInfo.get(u.section.name) ?? []) {
          const slot = fi.insnOff / 8;
          if (slot >= lo && slot < hi) funcInfo.push({ insn: at + (slot - lo), name: btf.nameOf(fi.typeId), typeId: fi.typeId });
        }
      }
      lineInfo.sort((a, b) => a.insn - b.insn);
      funcInfo.sort((a, b) => a.insn - b.insn);
    }
    programs.push({
      name: unit.name,
      section: unit.section.name,
      type,
      ...(attachType ? { attachType } : {}),
      instructions: linked.instructions,
      lineInfo,
      ...(funcInfo.length ? { funcInfo } : {}),
      subprograms: linked.subprograms,
      ...(unit.isStatic ? { isStatic: true } : {}),
      ...(linked.unknownKfuncs.length ? { unsupported: linked.unknownKfuncs.map((k) => ({ kind: 'kfunc' as const, name: k.name, insn: k.insn })) } : {}),
    });
  }

  // Step: initial contents of prog arrays and maps of maps.
  fillBtfMapValues(elf, kinds, entries, entryUnits);
  fillIproute2ProgArrays(entries, entryUnits);

  return {
    programs,
    maps: entries.map((e) => e.spec),
    ...(btf !== undefined ? { btf } : {}),
    license,
    ...(kernelVersion !== undefined ? { kernelVersion } : {}),
    ...(coreTarget !== undefined ? { coreTarget } : {}),
  };
}

/** iproute2 bpf_elf_map.pinning (include/bpf_elf.h). */
const PIN_OBJECT_NS = 1;
const PIN_GLOBAL_NS = 2;

/**
 * MapSpec.pinPath of pinned maps, as tc names them: iproute2's bpf_make_pathname (tc/globals,
 * or tc/ plus the object's sha1, which tc computes over the ELF file) for bpf_elf_map, and
 * tc/globals for BTF maps pinned by name.
 */
function assignPinPaths(entries: MapEntry[], bytes: Uint8Array): void {
  let objectSha1: string | undefined;
  for (const e of entries) {
    const { pinning, source, name } = e.spec;
    if (pinning === 0) continue;
    let pinPath: string;
    if (source === 'iproute2') {
      if (pinning === PIN_GLOBAL_NS) pinPath = `${BPFFS}/tc/globals/${name}`;
      else if (pinning === PIN_OBJECT_NS) pinPath = `${BPFFS}/tc/${(objectSha1 ??= nodeCrypto().createHash('sha1').update(bytes).digest('hex'))}/${name}`;
      else {
        // Other values name a subdirectory in /etc/iproute2/bpf_pinning, which tcxlab does not read.
        throw new ElfError(`pinning ${pinning} (an /etc/iproute2/bpf_pinning entry) is not supported; use PIN_GLOBAL_NS or PIN_OBJECT_NS`, {
          section: 'maps',
          offset: e.offset,
          symbol: name,
        });
      }
    } else if (source === 'btf' && pinning === LIBBPF_PIN_BY_NAME) {
      // tc (iproute2 on libbpf) sets libbpf's pin_root_path to its globals directory, so a
      // pinned BTF map and a PIN_GLOBAL_NS bpf_elf_map of the same name are one map (measured:
      // `tc filter add ... bpf obj X.o` pins a LIBBPF_PIN_BY_NAME map at tc/globals/NAME).
      pinPath = `${BPFFS}/tc/globals/${name}`;
    } else {
      continue; // btf maps.ts already refuses other values
    }
    e.spec = { ...e.spec, pinPath };
  }
}

/** libbpf map_is_mmapable(): the DATASEC holds at least one non-static (BTF_VAR_STATIC = 0) variable. */
function hasGlobalVar(btf: Btf, datasecId: number): boolean {
  const ds = btf.typeById(datasecId);
  if (ds.kind !== 'DATASEC') return false;
  return ds.vars.some((v) => {
    const t = btf.typeById(v.type);
    return t.kind === 'VAR' && t.linkage !== 0;
  });
}

/**
 * `.rel.maps`: R_BPF_64_ABS64 relocations that point into a map's `__array(values, ...)` fill
 * slot (offset - values start) / slot size with the referenced map (map-in-map) or program
 * (prog array), as libbpf's bpf_object__collect_map_relos does.
 */
function fillBtfMapValues(elf: SafeElfFile, kinds: readonly SectionKind[], entries: MapEntry[], units: readonly FuncUnit[]): void {
  for (const [target, rs] of elf.relocations) {
    if (kinds[target] !== 'btf-maps') continue;
    const secName = elf.sections[target].name;
    for (const rel of rs.rels) {
      const sym = elf.symbols[rel.symbol];
      const loc = { section: secName, offset: rel.offset, symbol: sym.name };
      const outer = entries.find((e) => e.section === target && e.values && rel.offset >= e.values.offset && rel.offset < e.offset + e.size);
      if (outer === undefined || outer.values === undefined) {
        throw new RelocationError('relocation in .maps outside any map values array', loc);
      }
      if (rel.type !== 2 /* R_BPF_64_ABS64 */) throw new RelocationError(`unexpected relocation type ${rel.type} in .maps`, loc);
      const rel0 = rel.offset - outer.values.offset;
      if (rel0 % outer.values.slotSize !== 0) throw new RelocationError('relocation not at a values slot', loc);
      const key = rel0 / outer.values.slotSize;
      if (key >= outer.spec.maxEntries) throw new RelocationError(`values slot ${key} >= max_entries ${outer.spec.maxEntries}`, loc);
      let value: number;
      const t = outer.spec.type.id;
      if (t === BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY) {
        if (sym.type !== STT_FUNC) throw new RelocationError('prog array value is not a function', loc);
        value = units.findIndex((u) => u.section.index === sym.shndx && u.start * 8 === sym.value);
        if (value < 0) throw new RelocationError('prog array value is not an entry program', loc);
      } else if (t === BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY_OF_MAPS || t === BPF_MAP_TYPE.BPF_MAP_TYPE_HASH_OF_MAPS) {
        value = entries.findIndex((e) => e.section === sym.shndx && e.offset === sym.value && e.spec.source === 'btf');
        if (value < 0) throw new RelocationError('map-in-map value is not a map in .maps', loc);
      } else {
        throw new RelocationError(`map type ${outer.spec.type.name} cannot have initial values`, loc);
      }
      outer.spec = { ...outer.spec, contents: [...(outer.spec.contents ?? []), [u32le(key), u32le(value)]] };
    }
  }
  for (const e of entries) {
    if (e.spec.contents && e.spec.source === 'btf') {
      const sorted = [...e.spec.contents].sort((a, b) => new DataView(a[0].buffer).getUint32(0, true) - new DataView(b[0].buffer).getUint32(0, true));
      e.spec = { ...e.spec, contents: sorted };
    }
  }
}

/** iproute2 "ID/KEY" sections: each program pre-fills prog array `ID` at `KEY` (tc's bpf_fill_prog_arrays). */
function fillIproute2ProgArrays(entries: MapEntry[], units: readonly FuncUnit[]): void {
  units.forEach((u, progIdx) => {
    const slot = iproute2ProgArraySlot(u.section.name);
    if (!slot) return;
    const target = entries.find((e) => e.spec.source === 'iproute2' && e.spec.iproute2Id === slot.id);
    if (target === undefined) return; // iproute2 skips sections whose id names no map
    const loc = { section: u.section.name, symbol: u.name };
    if (target.spec.type.id !== BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY) {
      throw new RelocationError(`map id ${slot.id} is not a prog array`, loc);
    }
    if (slot.key >= target.spec.maxEntries) throw new RelocationError(`key ${slot.key} >= max_elem ${target.spec.maxEntries}`, loc);
    target.spec = { ...target.spec, contents: [...(target.spec.contents ?? []), [u32le(slot.key), u32le(progIdx)]] };
  });
}


