/**
 * @fileoverview The global variables of a data section (`.data*`, `.rodata*`, `.bss*`): name, byte
 * offset and size in the section, and BTF type, from the section's BTF DATASEC.
 *
 * clang leaves the DATASEC offset of every non-static variable at 0; the ELF symbol of the same
 * name holds the real one. libbpf rewrites the offsets from the symbol table before load
 * (btf_fixup_datasec), and so do we here. Only non-static variables are listed, as libbpf
 * skeletons (bpftool gen skeleton skips BTF_VAR_STATIC) and cilium/ebpf's VariableSpecs do:
 * `static` globals and function-local statics (`func.name`) have no stable name to set.
 */
import { BtfError } from '../vm/errors.js';
import type { Btf } from './btf/parse.js';
import { STB_GLOBAL, STB_WEAK, STT_SECTION, type ElfSection, type ElfSymbol } from './elf-file.js';
import type { VariableSpec } from './spec.js';

/** BTF_VAR_STATIC (uapi btf.h): file-local linkage. */
const BTF_VAR_STATIC = 0;

/** The non-static variables of `section` (DATASEC `datasecId`), in offset order. */
export function sectionVariables(btf: Btf, datasecId: number, section: ElfSection, symbols: readonly ElfSymbol[]): VariableSpec[] {
  const ds = btf.typeById(datasecId);
  if (ds.kind !== 'DATASEC') return [];
  const symOff = new Map<string, number>();
  for (const s of symbols) {
    if (s.shndx === section.index && s.type !== STT_SECTION && (s.bind === STB_GLOBAL || s.bind === STB_WEAK)) symOff.set(s.name, s.value);
  }
  const out: VariableSpec[] = [];
  for (const vsi of ds.vars) {
    const v = btf.typeById(vsi.type);
    if (v.kind !== 'VAR' || v.linkage === BTF_VAR_STATIC) continue;
    const offset = symOff.get(v.name);
    // An extern (BTF_VAR_GLOBAL_EXTERN) or a variable without a symbol has no bytes here.
    if (offset === undefined) continue;
    let size: number;
    try {
      size = btf.sizeof(v.type);
    } catch (e) {
      if (e instanceof BtfError) continue; // a sizeless type: nothing to set by name
      throw e;
    }
    // The kernel's BTF checks refuse a variable outside its DATASEC or of another size than its
    // type (btf_datasec_resolve); such a variable is left out here rather than failing the load,
    // which was never this step's job.
    if (offset + size > section.size || size !== vsi.size) continue;
    out.push({ name: v.name, offset, size, btfTypeId: v.type });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
