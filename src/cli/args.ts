/**
 * @fileoverview Command-line argument checks shared by the commands.
 *
 * Argument order: for the commands that take `OBJ PROG PACKETS_FILE`, an ELF object where the
 * packets file belongs (or the other way round) is named as such, with the command line that was
 * probably meant, instead of a parse error about hex or ELF headers.
 *
 * Strict option parsers for commander: every number, hex string and mode is checked where it is
 * parsed, so a bad value is a one-line `error: option '--repeat <n>' argument 'abc' is invalid.
 * ...` and exit status 1, never a NaN that silently runs nothing.
 *
 * The options shared by several commands are defined here too. Every invocation loads this
 * module (src/cli/program.ts builds the whole command line, `--help` included): keep it free of
 * VM, loader and netdev imports.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../../vm/errors.js';
import type { InputKind } from './io.js';

/** ELF magic: 0x7f 'E' 'L' 'F'. */
export function isElf(b: Uint8Array | undefined): boolean {
  return b !== undefined && b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/**
 * Throws a UsageError when the arguments look swapped: PACKETS_FILE is an ELF object, or OBJ is
 * not one while PROG or PACKETS_FILE names one. `read` returns a file's bytes or undefined.
 */
export function checkArgOrder(cmd: string, obj: string, prog: string, packets: string, read: (p: string) => Uint8Array | undefined): void {
  const objB = read(obj);
  const packetsB = read(packets);
  const progB = read(prog);
  if (isElf(packetsB)) {
    const meant = isElf(objB) ? `the packets file in place of ${packets}` : `\`tcxlab ${cmd} ${packets} ${isElf(progB) ? obj : prog} ${isElf(progB) ? prog : obj}\``;
    throw new UsageError(`PACKETS_FILE ${packets} is an ELF object — did you mean ${meant}?`);
  }
  if (!isElf(objB) && isElf(progB)) {
    throw new UsageError(`OBJ ${obj} is not an ELF object but PROG ${prog} is a file that is — did you mean \`tcxlab ${cmd} ${prog} ${obj} ${packets}\`?`);
  }
}

/** `read` for checkArgOrder over a throwing reader. */
export function tryRead(readFile: (p: string, kind?: InputKind) => Uint8Array): (p: string) => Uint8Array | undefined {
  return (p) => {
    try {
      // Capped like an object: /dev/zero as an argument stops at 64 MiB here too.
      return readFile(p, 'object');
    } catch {
      return undefined;
    }
  };
}

/** A decimal integer in [min, max] (no signs, exponents, hex or spaces). */
export function intArg(min: number, max: number): (v: string) => number {
  return (v: string) => {
    const n = /^[0-9]{1,16}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`takes a decimal integer from ${min} to ${max}.`);
    return n;
  };
}

/** Even-length hex (bytes) of at most `maxBytes` bytes. */
export function hexArg(maxBytes: number): (v: string) => string {
  return (v: string) => {
    if (!/^([0-9a-fA-F]{2})*$/.test(v)) throw new InvalidArgumentError('takes an even-length hex string.');
    if (v.length / 2 > maxBytes) throw new InvalidArgumentError(`takes at most ${maxBytes} bytes.`);
    return v;
  };
}

/** BPF_PROG_TEST_RUN's repeat is a u32; tcxlab caps it so that a run stays bounded. */
export const REPEAT_MAX = 100_000_000;
/** NR_CPUS-like bound for `--cpu` at parse time; the emulated machine's CPU count is checked at run. */
export const CPU_ARG_MAX = 4095;
/** struct __sk_buff is 192 bytes; the kernel refuses a larger ctx_in unless the tail is zero. */
export const CTX_MAX_BYTES = 4096;
/** `map dump`: entries dumped at most by default (bpftool has no limit; tcxlab bounds every output). */
export const MAP_DUMP_MAX_ENTRIES = 1 << 16;
/** `test --format`. */
export const TEST_REPORT_FORMATS = ['text', 'tap', 'junit', 'json'] as const;

/** Load-time verification chosen on the command line: on (default), off, or warn-and-run. */
export type VerifyMode = boolean | 'warn';

/**
 * `--no-verify` (skip load-time verification) and `--verify=warn` (report the verifier's
 * rejection on standard error and run anyway) on a command that loads an object.
 */
export function addVerifyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--verify [mode]', 'load-time verification: on (default), or `warn`: report a rejection on stderr and run anyway').argParser(
        (v: string) => {
          if (v !== 'warn' && v !== 'on') throw new InvalidArgumentError('takes `warn` or `on`.');
          return v;
        },
      ),
    )
    .option('--no-verify', 'skip load-time verification (programs the kernel would refuse may run)');
}

/** The verification mode from parsed options (`verify`: true, false, 'on' or 'warn'). */
export function verifyMode(o: { verify?: unknown }): VerifyMode {
  if (o.verify === false) return false;
  if (o.verify === 'warn') return 'warn';
  return true;
}

/** A u64 option value: decimal or 0x hex. */
function u64Arg(name: string): (v: string) => string {
  return (v) => {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(v) || BigInt(v) >= 1n << 64n) throw new UsageError(`${name}: expected an unsigned 64-bit integer (decimal or 0x hex), got ${JSON.stringify(v)}`);
    return v;
  };
}

/**
 * `--env FILE`, `--mock-time NS` and `--seed N` on a command that runs programs; mock-options.ts
 * turns the parsed values into a MockEnv (here only the options, which every command line builds).
 */
export function addMockOptions(cmd: Command): Command {
  return cmd
    .option('--env <file>', 'JSON file mocking the world the program sees: time_ns, time_step_ns, seed, routes, neighbours, sockets, helpers (README "Mocks")')
    .option('--mock-time <ns>', 'bpf_ktime_get_ns at the start, in ns (overrides the env file\'s time_ns)', u64Arg('--mock-time'))
    .option('--seed <n>', 'seed of bpf_get_prandom_u32 (overrides the env file\'s seed)', u64Arg('--seed'));
}
