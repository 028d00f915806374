/**
 * @fileoverview `tcxlab verify OBJ [PROG] [--log 1|2]`: run the verifier on an object's programs
 * as the kernel would at load, and print a kernel-style verifier log: at level 1 every processed
 * instruction with the registers it touched and the branch states, at level 2 the whole state
 * after every instruction, then `processed N insns`. Exit status 1 when a program is rejected.
 */
import { loadCollectionSpec, type LoadOptions } from '../../../loader/index.js';
import { UsageError, VerifierError } from '../../../vm/errors.js';
import { verify } from '../../../vm/verifier/index.js';
import { verifierOptionsFor } from '../../verifier-env.js';
import type { CliIo } from '../io.js';

/** `tcxlab verify`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, object: string, name: string | undefined, opts: { log: string; type?: string; btf?: string }): void {
  const level = Number(opts.log);
  if (level !== 0 && level !== 1 && level !== 2) throw new UsageError(`verify: --log must be 0, 1 or 2 (got ${JSON.stringify(opts.log)})`);
  const load: LoadOptions = { programType: opts.type ?? 'sched_cls' };
  if (opts.btf !== undefined) load.btf = io.readFile(opts.btf);
  const spec = loadCollectionSpec(io.readFile(object), load);
  const progs = name === undefined ? spec.programs : spec.programs.filter((p) => p.name === name);
  if (progs.length === 0) throw new UsageError(`verify: no program ${JSON.stringify(name)} (have: ${spec.programs.map((p) => p.name).join(', ')})`);
  let failed = false;
  for (const prog of progs) {
    const logLevel = level as 0 | 1 | 2;
    try {
      const r = verify(prog.instructions, verifierOptionsFor(spec, prog, { logLevel }));
      for (const l of r.log) io.out(`${l}\n`);
      io.out(`${prog.name}: ok (processed ${r.processed} insns, ${r.states} states, stack ${r.stackDepth.join('+')} bytes)\n`);
    } catch (e) {
      if (!(e instanceof VerifierError)) throw e;
      failed = true;
      for (const l of e.log) io.out(`${l}\n`);
      io.out(`${prog.name}: rejected at insn ${e.insnIndex}${e.source ? ` (${e.source})` : ''}\n`);
    }
  }
  if (failed) io.exitCode = 1;
}
