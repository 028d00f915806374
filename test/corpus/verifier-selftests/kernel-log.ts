/**
 * @fileoverview Reading the kernel verifier's log (log_level 1) of a rejected program: which line
 * states the error, and at which instruction. See docs/verifier-selftests.md.
 *
 * With log_level 1 the verifier prints every instruction it walks as `N: (op) text ; state`, then,
 * when it fails, the error lines, then a summary (`processed N insns ...`). The first error line is
 * the innermost check that failed (e.g. `invalid access to map value, value_size=48 off=1008
 * size=8`); later lines add context (`R0 max value is outside of the allowed memory range`,
 * `BPF_EXIT instruction in main prog would lead to reference leak`). Failures found before the
 * walk (check_cfg, check_subprogs, check_max_stack_depth, BTF) have no instruction lines; their
 * log may start with notes the kernel prints for global functions, which are not errors.
 */

/** An instruction line: `12: (7b) *(u64 *)(r10 -8) = r1`. */
const INSN_LINE = /^(\d+): \([0-9a-f]{2}\)/;
/** The end-of-verification summary (print_verification_stats); it may follow an error without a newline. */
const SUMMARY = /processed \d+ insns \(limit \d+\)/;

/** Lines the verifier prints that are notes, not errors. */
const NOTES: readonly RegExp[] = [
  /^Validating .+\(\) func#\d+\.\.\.$/, // do_check_common for a global function
  /^Func#\d+ \('.*'\) is safe for any args that match its prototype$/,
  /^arg#\d+ reference type\('.*'\) size cannot be determined: -?\d+$/, // btf_prepare_func_args
  /^caller:$/,
  /^callee:$/,
  /^\s/, // register state continuation lines
  /^;/, // source line info
  /^from \d+ to \d+: /, // state at a branch target
  /^\d+: R\d+/, // state at an instruction (`0: R1=ctx() R10=fp0`)
  /^\d+: frame\d+:/,
];

/** "Global function f() doesn't return scalar." is a note unless nothing follows it. */
const GLOBAL_RET_NOTE = /^Global function .+\(\) doesn't return scalar\. Only those are supported\.$/;

export interface KernelError {
  /** The first line stating the error. */
  message: string;
  /** Every error line, first to last (before the summary). */
  messages: string[];
  /** Instruction index: the last instruction line before the error, or one the message names. */
  insn: number | null;
}

/** The error a rejected program's log (or its tail) states; null when the log holds no error line. */
export function kernelError(log: readonly string[]): KernelError | null {
  const lines: string[] = [];
  for (const raw of log) {
    const m = SUMMARY.exec(raw);
    if (m) {
      const before = raw.slice(0, m.index);
      if (before.trim()) lines.push(before);
      break;
    }
    lines.push(raw);
  }
  let last = -1;
  for (let i = 0; i < lines.length; i++) if (INSN_LINE.test(lines[i])) last = i;
  const block = lines.slice(last + 1).filter((l) => l.trim() !== '' && !NOTES.some((re) => re.test(l)));
  while (block.length > 1 && GLOBAL_RET_NOTE.test(block[0])) block.shift();
  if (block.length === 0) return null;
  let insn: number | null = last >= 0 ? Number(INSN_LINE.exec(lines[last])![1]) : null;
  if (insn === null) {
    const named = /\binsn (\d+)\b/.exec(block[0]);
    if (named) insn = Number(named[1]);
  }
  return { message: block[0], messages: block, insn };
}
