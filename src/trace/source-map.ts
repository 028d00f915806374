/**
 * @fileoverview Instruction → source line for one program, from `.BTF.ext` line info.
 *
 * The loader gives line info only for the instructions clang annotated. An instruction without
 * its own record belongs to the nearest preceding record, as llvm-objdump -l and llvm's line
 * tables do, but never across a function boundary: the linked program is the entry function
 * followed by its subprograms (loader/spec.ts SubprogramRef), and an unannotated first
 * instruction of a subprogram must not be charged to the last line of the function before it.
 *
 *   insn:   0   1   2   3 | 28  29  30      (| = start of subprogram mix5)
 *   info:   57  61  -   - | -   16  -
 *   line:   57  61  61  61| -   16  16
 */
import type { CollectionSpec, LineInfo, ProgramSpec } from '../../loader/spec.js';
import { formatInsn } from '../../vm/disasm.js';
import { Op, PseudoSrc } from '../../vm/isa.js';
import { decode, type DecodedProgram } from '../../vm/program.js';

/** The source lines and functions of one program's instructions. */
export class SourceMap {
  readonly code: DecodedProgram;
  /** Line record of each instruction slot (undefined: none, or the second slot of an lddw). */
  readonly lineOf: ReadonlyArray<LineInfo | undefined>;
  /** Function name of each instruction slot. */
  readonly funcOf: readonly string[];
  /** Functions in order: name and first instruction. */
  readonly functions: ReadonlyArray<{ name: string; insn: number }>;
  /** Whether each slot starts an instruction (false for the second half of an lddw). */
  readonly isInsn: readonly boolean[];
  private texts: string[] | undefined;
  private readonly spec: ProgramSpec;
  private readonly coll: CollectionSpec | undefined;

  /** `code` is the linked program (what runs); `coll` names maps in instruction texts. */
  constructor(spec: ProgramSpec, code: DecodedProgram = decode(spec.instructions), coll?: CollectionSpec) {
    this.code = code;
    this.spec = spec;
    this.coll = coll;
    const n = code.length;
    const starts = new Map<number, string>([[0, spec.name]]);
    for (const s of spec.subprograms) starts.set(s.insn, s.name);
    for (const f of spec.funcInfo ?? []) if (f.insn > 0 && !starts.has(f.insn)) starts.set(f.insn, f.name);
    this.functions = [...starts.entries()].sort((a, b) => a[0] - b[0]).map(([insn, name]) => ({ insn, name }));
    const own = new Map<number, LineInfo>();
    for (const l of spec.lineInfo) own.set(l.insn, l);
    const lineOf: (LineInfo | undefined)[] = new Array(n);
    const funcOf: string[] = new Array(n);
    const isInsn: boolean[] = new Array(n);
    let cur: LineInfo | undefined;
    let fname = spec.name;
    for (let i = 0; i < n; i++) {
      const f = starts.get(i);
      if (f !== undefined) {
        fname = f;
        cur = undefined;
      }
      cur = own.get(i) ?? cur;
      funcOf[i] = fname;
      isInsn[i] = true;
      lineOf[i] = cur;
      if (code.op[i] === Op.LDDW && i + 1 < n) {
        i++;
        funcOf[i] = fname;
        isInsn[i] = false;
        lineOf[i] = undefined;
      }
    }
    this.lineOf = lineOf;
    this.funcOf = funcOf;
    this.isInsn = isInsn;
  }

  /**
   * Kernel text of the instruction at `pc`, from the object's own instructions (before linking),
   * so a map reference reads `r2 = map[jump_table]` rather than a resolved address.
   */
  text(pc: number): string {
    if (this.texts === undefined) {
      const orig = decode(this.spec.instructions);
      const maps = this.coll?.maps;
      const ldImm64 = (src: number, imm: number, next: number): string | undefined => {
        const m = maps?.[imm];
        if (m === undefined) return undefined;
        if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX) return `map[${m.name}]`;
        if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE) return `map[${m.name}][0]+${next >>> 0}`;
        return undefined;
      };
      const src = orig.length === this.code.length ? orig : this.code;
      this.texts = Array.from({ length: src.length }, (_, i) => (this.isInsn[i] ? formatInsn(src, i, { ldImm64 }) : ''));
    }
    return this.texts[pc] ?? '';
  }
}

/** `file:line` with the directory dropped (`./parse.c:41` → `parse.c:41`). */
export function shortLocation(l: LineInfo): string {
  return `${l.file.split('/').pop() ?? l.file}:${l.line}`;
}
