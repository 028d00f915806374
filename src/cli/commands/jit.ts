/**
 * @fileoverview `tcxlab jit OBJ [PROG] [--type T] [--hex] [--compact]`: prints the JavaScript the
 * JIT generates for a program (vm/jit), one commented line per instruction unless `--compact`.
 *
 * OBJ is a clang BPF object (PROG is the program's function name) or, when it is not an ELF file,
 * raw little-endian bytecode (`--hex`: hex text). Pseudo LD_IMM64 values (map fds, map values,
 * BTF ids) are linked to placeholder constants, and every helper id to a placeholder function, so
 * the listing shows the code shape without a runtime. Names from the object never appear in the
 * output: the JIT's codegen layer cannot put strings into the source.
 */
import { loadCollectionSpec } from '../../../loader/index.js';
import { UsageError } from '../../../vm/errors.js';
import { compile, JIT_MAX_INSNS } from '../../../vm/jit/index.js';
import { Collection } from '../../collection.js';
import { verifyMode, type VerifyMode } from '../args.js';
import { link } from '../../../vm/link.js';
import { decode, type HelperFn } from '../../../vm/program.js';
import type { CliIo } from '../io.js';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const isElf = (b: Uint8Array): boolean => b.length >= 4 && ELF_MAGIC.every((m, i) => b[i] === m);

/** Placeholder helpers: one distinct no-op per id, so calls compile as direct calls. */
const PLACEHOLDER_HELPERS: HelperFn[] = Array.from({ length: 256 }, () => () => {});

/** Placeholder values for pseudo LD_IMM64: src in the high half, the original imm in the low half. */
const placeholder = (src: number, imm: number): [number, number] => [imm | 0, 0x7e00_0000 | src];

function parseHex(text: string): Uint8Array {
  const clean = text.replace(/#.*$/gm, '').replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) throw new UsageError('jit: --hex input is not hex bytes');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** The generated source for PROG of OBJ (or for raw bytecode). */
export function jitSource(
  bytes: Uint8Array,
  progName: string | undefined,
  opts: { type?: string; hex?: boolean; compact?: boolean; verify?: VerifyMode; warn?: (line: string) => void } = {},
): string {
  let code: Uint8Array;
  if (isElf(bytes)) {
    const spec = loadCollectionSpec(bytes, opts.type ? { programType: opts.type } : {});
    if (progName === undefined) throw new UsageError(`jit: name a program (${spec.programs.length} in the object)`);
    const ps = spec.programs.find((p) => p.name === progName);
    if (ps === undefined) throw new UsageError('jit: no program with that name in the object');
    // Load-time verification as for a run: the kernel does not JIT a program it refuses.
    if (opts.verify !== false) {
      new Collection(
        { ...spec, programs: [ps] },
        {
          verify: opts.verify ?? true,
          onVerifierWarning: (w) => opts.warn?.(`warning: the verifier rejects ${w.program} (listing it anyway, --verify=warn): ${w.error.message.split('\n')[0]}`),
        },
      );
    }
    code = ps.instructions;
  } else {
    code = opts.hex ? parseHex(new TextDecoder().decode(bytes)) : bytes;
  }
  const prog = link(decode(code), { name: 'jit', helpers: PLACEHOLDER_HELPERS, resolveLdImm64: (src, imm) => placeholder(src, imm) });
  const c = compile(prog, { lines: opts.compact !== true });
  if (c.tooLong) return `// this program runs under the interpreter (over ${JIT_MAX_INSNS} instructions: JIT compile stays bounded)\n`;
  if (c.interpreted) return '// this program runs under the interpreter (a register field above r10)\n';
  return `${c.source}\n`;
}

/** `tcxlab jit`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, obj: string, prog: string | undefined, o: { type?: string; hex?: boolean; compact?: boolean; verify?: unknown }): void {
  io.out(jitSource(io.readFile(obj, 'object'), prog, { ...o, verify: verifyMode(o), warn: (line) => io.err(`tcxlab: ${line}\n`) }));
}
