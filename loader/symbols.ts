/**
 * @fileoverview Functions in executable sections: every STT_FUNC symbol is a unit of code
 * (an entry program in a program section, a subprogram in `.text`), sized by st_size.
 *
 *   section "tc":  | tail_a (3 insns) | main_prog (35 insns) |      <- two entry programs
 *   section ".text": | helper_global | helper_static | cb |         <- subprograms only
 *
 * Static (STB_LOCAL) functions in a program section are entry programs too (cilium/ebpf does
 * this; libbpf refuses them), so objects with `static` entry points load.
 */
import { ElfError } from '../vm/errors.js';
import { STB_LOCAL, STT_FUNC, type ElfSection, type ElfSymbol } from './elf-file.js';

/** One function: a contiguous run of instruction slots in one section. */
export interface FuncUnit {
  readonly name: string;
  readonly section: ElfSection;
  /** First slot (st_value / 8). */
  readonly start: number;
  /** Slot count. */
  readonly length: number;
  readonly isStatic: boolean;
}

/** Functions of one executable section, sorted by start. */
export function sectionFunctions(section: ElfSection, symbols: readonly ElfSymbol[]): FuncUnit[] {
  const slots = section.data.length / 8;
  const syms = symbols
    .filter((s) => s.shndx === section.index && s.type === STT_FUNC)
    .sort((a, b) => a.value - b.value || a.index - b.index);
  if (syms.length === 0) {
    // Hand-written or stripped code: the whole section is one function named after it.
    return slots === 0 ? [] : [{ name: section.name, section, start: 0, length: slots, isStatic: false }];
  }
  const out: FuncUnit[] = [];
  for (let i = 0; i < syms.length; i++) {
    const s = syms[i];
    const loc = { section: section.name, offset: s.value, symbol: s.name };
    if (s.value % 8 !== 0 || s.size % 8 !== 0) throw new ElfError('function symbol is not instruction-aligned', loc);
    // A zero st_size extends to the next function or the end of the section.
    const end = s.size !== 0 ? s.value + s.size : i + 1 < syms.length ? syms[i + 1].value : section.data.length;
    if (s.value >= section.data.length || end > section.data.length || end <= s.value) {
      throw new ElfError(`function [0x${s.value.toString(16)}, 0x${end.toString(16)}) is outside the section`, loc);
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.start + prev.length > s.value / 8) {
      throw new ElfError(`function overlaps ${JSON.stringify(prev.name)}`, loc);
    }
    out.push({ name: s.name, section, start: s.value / 8, length: (end - s.value) / 8, isStatic: s.bind === STB_LOCAL });
  }
  return out;
}
