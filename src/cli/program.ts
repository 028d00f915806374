/**
 * @fileoverview The `tcxlab` command line: every command with its arguments, options and help,
 * and for each an action that imports the command's module (`commands/*.ts`) when it runs.
 *
 * Why here and lazy: every invocation builds this program (all of it for `--help`, the listing
 * and commander's suggestions; the one command that runs otherwise: buildProgram), so whatever
 * this module imports statically is loaded by `tcxlab --help` and by every command. The command modules pull in the loader, the verifier,
 * the engines and the emulated netdev; a cold `tcxlab --help` used to load all of them. Keep the
 * static imports to commander and small option parsers: test/cli/lazy-imports.test.ts checks
 * the static import graph of src/cli/main.ts.
 *
 * `run`, the main job, is imported from its own module; every other command from
 * commands/index.ts. In the CLI bundle (package.json "tsup", the `cli` build) the chunks follow
 * these dynamic imports, and each file costs a cold process about a millisecond: one import per
 * command gave a cold `tcxlab run` some twenty files, these two give it nine, with only run's own
 * code to compile (README "Benchmarks", cold start).
 */
import { Command, Option } from 'commander';
import { ENGINE_CHOICES, ENGINES } from '../../vm/engine-choice.js';
import { COMPARE_PATHS } from '../net/compare-paths.js';
import { addMockOptions, addVerifyOptions, CPU_ARG_MAX, CTX_MAX_BYTES, hexArg, intArg, MAP_DUMP_MAX_ENTRIES, REPEAT_MAX, TEST_REPORT_FORMATS } from './args.js';
import type { CliIo } from './io.js';

/** A command module's action: the commander action's arguments, after the CLI's io. */
type Action = (io: CliIo, ...args: never[]) => void | Promise<void>;

/** `--engine`: `auto` (the JIT from 256 runs on) for the test-run commands, else interp or jit. */
function engineOption(auto: boolean): Option {
  return auto
    ? new Option('--engine <engine>', 'execution engine (auto: the JIT from 256 runs on)').choices(ENGINE_CHOICES as string[]).default('auto')
    : new Option('--engine <engine>', 'execution engine').choices([...ENGINES]).default('interp');
}

/** An action handler that imports its command's action first (once; later imports are cached). */
function lazy(io: CliIo, load: () => Promise<Action>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = await load();
    await action(io, ...(args as never[]));
  };
}

/**
 * The `tcxlab` program, with output through `io`; parse it with `parseAsync`. With `only` (the
 * first word of the command line) naming a top-level command, the program defines that command
 * alone: it parses, runs and prints help and errors for that command exactly as the whole program
 * would, and a cold `tcxlab run` does not pay for defining the other fifteen (a few ms of
 * commander). Otherwise (no word, an option, `help`, a mistyped command) every command is
 * defined, for the listing, `help CMD` and commander's suggestions.
 */
export function buildProgram(io: CliIo, version: string, only?: string): Command {
  if (only !== undefined) {
    const one = defineProgram(io, version, only);
    if (one.commands.length > 0) return one;
  }
  return defineProgram(io, version, undefined);
}

/** The program with every command, or with the top-level command `only` alone (none if there is no such command). */
function defineProgram(io: CliIo, version: string, only: string | undefined): Command {
  const program = new Command('tcxlab')
    .description('Run tc/tcx BPF objects offline on an emulated Linux netdev')
    .version(version, '-V, --version', 'print the tcxlab version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  /**
   * `build(program.command(name))`, or undefined when only another command is wanted. (A callback,
   * not `?.` chains: the CLI bundle's CommonJS conversion turns every `?.` into a helper call with
   * a closure per link, which cost `--help` more than the commands it would skip.)
   */
  const define = (name: string, build: (c: Command) => Command): Command | undefined =>
    only === undefined || only === name ? build(program.command(name)) : undefined;

  // The commands in the order `--help` lists them.
  define('conformance', (c) =>
    c
      .description('run bpf_conformance .data cases (default: the bundled suite)')
      .argument('[dir]', 'folder of .data files')
      .option('--engine <engine>', 'interp or jit', 'interp')
      .action(lazy(io, async () => (await import('./commands/index.js')).conformance)));

  define('conformance-plugin', (c) =>
    c
      .description('bpf_conformance plugin: program hex on stdin, memory hex as argument, prints r0 in hex')
      .argument('[memhex]', 'memory as space-separated hex bytes', '')
      .argument('[plugin-options]', 'the runner\'s --plugin_options string (may hold --jit)', '')
      .option('--program <hex>', 'program hex (instead of stdin)')
      .option('--jit', 'run under the JIT')
      .option('--interpret', 'run under the interpreter (default)')
      .action(lazy(io, async () => (await import('./commands/index.js')).conformancePlugin)));

  define('tcx-script', (c) =>
    c
      .description('run an `oracle tcx` script (tcx attach/detach/link/query) on the emulator; JSON lines out')
      .argument('<file>', 'script file, or - for standard input')
      .option('--ids', 'add raw prog/link ids (the emulator\'s ids, not the kernel\'s)')
      .option('--setup', 'also print the setup line first, as the oracle does')
      .action(lazy(io, async () => (await import('./commands/index.js')).tcxScript)));

  define('disasm', (c) =>
    c
      .description('print a BPF object or raw bytecode as kernel-style (bpftool) assembly')
      .argument('<file>', 'clang BPF object, or raw little-endian bytecode')
      .argument('[sec]', 'the word "sec", followed by a section name (objects only)')
      .argument('[name]', 'section name')
      .option('--format <format>', 'kernel (bpftool xlated style) or conformance (bpf_conformance asm)', 'kernel')
      .option('--hex', 'FILE holds hex text, not binary bytecode')
      .option('--type <type>', 'program type for sections libbpf does not know (like bpftool\'s "type classifier")')
      .option('--no-opcodes', 'leave out the (op) column')
      .option('--verify', 'also run the verifier-lite; exit code 1 if it rejects a program')
      .action(lazy(io, async () => (await import('./commands/index.js')).disasm)));

  const run = define('run', (c) =>
    c
      .description('run PROG of OBJ on each frame of PACKETS_FILE as BPF_PROG_TEST_RUN does; prints oracle-run JSON')
      .argument('<obj>', 'BPF object file (.o)')
      .argument('<prog>', 'program (function) name')
      .argument('<packets>', 'pcap/pcapng capture, or a file with one hex frame per line (# comments)')
      .option('--ctx <hex>', 'struct __sk_buff ctx_in (192 bytes or a prefix) for every packet', hexArg(CTX_MAX_BYTES))
      .option('--pcap-out <file>', 'write every data_out to a pcapng file, with the verdict in packet comments')
      .option('--ctx-out', 'ask for ctx_out without a ctx_in (the kernel then runs with a zeroed ctx)')
      .option('--set <map-key-value...>', 'set a map entry before the run: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG for a prog array (repeatable)')
      .option('--var <name=value...>', 'set a global variable (.rodata/.data/.bss, by BTF name and type) before load, e.g. --var ENCAP_PORT=6080 cfg_mode=MODE_DROP (repeatable)')
      .addOption(engineOption(true))
      .option('--repeat <n>', `run the first packet N times (1..${REPEAT_MAX}) on the same skb and report duration_ns`, intArg(1, REPEAT_MAX))
      .option('--cpu <n>', 'CPU the program runs on (per-CPU maps; 0 or 1 on the default 2-CPU machine)', intArg(0, CPU_ARG_MAX), 0)
      .option('--max-entries <n>', 'entries dumped per map (default 4096, as the oracle)', intArg(0, 1 << 24))
      .option('--type <type>', 'program type for unknown section names (e.g. sched_cls)')
      .option('--btf <file>', 'target BTF for CO-RE relocations (e.g. another kernel\'s /sys/kernel/btf/vmlinux; default: the built-in vmlinux BTF of Linux 6.18)')
      .option('--pretty', 'indent the JSON')
      .option('--kernel', 'also run OBJ and the frames through the real kernel (root, Linux, bpftool) and print the differences instead of the JSON; exit status 1 when they differ, 2 when the kernel cannot be asked'));
  if (run) {
    addMockOptions(run);
    addVerifyOptions(run).action(lazy(io, async () => (await import('./commands/run.js')).action));
  }

  const prog = define('prog', (c) => c.description('bpftool-style program commands'));
  const progRun = prog && prog
    .command('run')
    .description('run a program once or N times, bpftool style: file OBJ [sec NAME|name NAME] data_in FILE [data_out FILE] [ctx_in FILE] [ctx_out FILE] [repeat N]')
    .argument('<words...>', 'bpftool prog run grammar')
    .option('-j, --json', 'JSON output')
    .option('-p, --pretty', 'pretty JSON output')
    .addOption(engineOption(true));
  if (progRun) {
    addMockOptions(progRun);
    addVerifyOptions(progRun).action(lazy(io, async () => (await import('./commands/index.js')).progRun));
  }

  define('inspect', (c) =>
    c
      .description('load a clang BPF object and print its CollectionSpec (programs, maps, line info) as JSON')
      .argument('<object>', 'BPF ELF object (.o)')
      .option('--type <type>', 'program type for unknown section names (e.g. classifier, sched_act, xdp)')
      .option('--btf <file>', 'target BTF for CO-RE relocations (default: the built-in vmlinux BTF of Linux 6.18)')
      .option('--no-lines', 'omit line info')
      .action(lazy(io, async () => (await import('./commands/index.js')).inspect)));

  const net = define('net', (c) =>
    c
      .description('run a network scenario (ip/tc/bpftool lines and `send` frames) on an emulated host; prints packet traces')
      .argument('<scenario>', 'scenario file, or - for standard input')
      .option('--json', 'one JSON object per step instead of text')
      .option('-q, --quiet', 'only print sends, shows, dumps and errors')
      .option('--pcap-out <file>', 'write what left each tc hook to a pcapng file (one interface per device and direction), the story in packet comments')
      .addOption(engineOption(false)));
  if (net) addMockOptions(addVerifyOptions(net)).action(lazy(io, async () => (await import('./commands/index.js')).net));

  const compare = define('compare', (c) =>
    c
      .description('attach the same program(s) through tcx and as clsact cls_bpf filters (da, and non-da with a classid), run the same frames, and show what differs and why; or compare a `net` scenario')
      .argument('<obj>', 'BPF object file (.o), or a `net` scenario file (then nothing else)')
      .argument('[prog]', 'program name(s), comma separated: tcx order = classic prio order')
      .argument('[packets]', 'pcap/pcapng capture, or one hex frame per line (# comments)')
      .addOption(new Option('--dir <dir>', 'the hook').choices(['ingress', 'egress']).default('ingress'))
      .option('--prio <n>', "the classic filters' first prio (default 1; program i gets prio + i)")
      .option('--classid <maj:min>', 'classid of the non-da filters (default 1:1): what a return of -1 selects')
      .option('--da-classid <maj:min>', 'classid of the da filters (default 0, as libbpf bpf_tc_attach)')
      .option('--paths <list>', `paths to compare, comma separated (default ${COMPARE_PATHS.join(',')})`)
      .option('--mark <n>', 'initial skb mark')
      .option('--priority <n>', 'initial skb priority')
      .addOption(engineOption(false))
      .option('--json', 'the comparison as JSON')
      .option('--fail-on-diff', 'exit status 1 when any frame differs between paths')
      .option('--kernel', 'also test-run each program on each frame in the real kernel (root, Linux, bpftool) and print where tcxlab differs; exit status 1 when it does, 2 when the kernel cannot be asked'));
  if (compare) addVerifyOptions(compare).action(lazy(io, async () => (await import('./commands/index.js')).compare));

  const jit = define('jit', (c) =>
    c
      .description('print the JavaScript the JIT generates for PROG of OBJ (or for raw bytecode)')
      .argument('<obj>', 'BPF object file (.o), or raw bytecode')
      .argument('[prog]', 'program (function) name, for objects')
      .option('--type <type>', 'program type for unknown section names (e.g. sched_cls)')
      .option('--hex', 'raw input is hex text')
      .option('--compact', 'no per-instruction comments and line breaks'));
  if (jit) addVerifyOptions(jit).action(lazy(io, async () => (await import('./commands/index.js')).jit));

  const trace = define('trace', (c) =>
    c
      .description('run PROG of OBJ on each frame of PACKETS_FILE and print every executed instruction with registers written and source line')
      .argument('<obj>', 'BPF object file (.o)')
      .argument('<prog>', 'program (function) name')
      .argument('<packets>', 'pcap/pcapng capture, or a file with one hex frame per line (# comments)')
      .option('--ctx <hex>', 'struct __sk_buff ctx_in (192 bytes or a prefix) for every packet', hexArg(CTX_MAX_BYTES))
      .option('--set <map-key-value...>', 'set a map entry before the runs: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG (repeatable)')
      .option('--limit <n>', 'print at most N instructions per packet', intArg(0, 2 ** 32 - 1))
      .option('--packet <n>', 'trace only the N-th frame of the file (1-based)', intArg(1, 2 ** 32 - 1)));
  if (trace) {
    addMockOptions(trace);
    addVerifyOptions(trace).action(lazy(io, async () => (await import('./commands/index.js')).trace));
  }

  const cover = define('cover', (c) =>
    c
      .description('run PROG of OBJ on every frame of PACKETS_FILE and report instruction, line, branch and function coverage')
      .argument('<obj>', 'BPF object file (.o)')
      .argument('<prog>', 'program (function) name')
      .argument('<packets>', 'pcap/pcapng capture, or a file with one hex frame per line (# comments)')
      .option('--ctx <hex>', 'struct __sk_buff ctx_in (192 bytes or a prefix) for every packet', hexArg(CTX_MAX_BYTES))
      .option('--set <map-key-value...>', 'set a map entry before the runs: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG (repeatable)')
      .option('--lcov <file>', 'write an LCOV tracefile (- for standard output)')
      .option('--show', 'print the source annotated with execution counts (gcov style)')
      .option('--source-dir <dir>', 'directory the BTF source file names are relative to'));
  if (cover) {
    addMockOptions(cover);
    addVerifyOptions(cover).action(lazy(io, async () => (await import('./commands/index.js')).cover));
  }

  define('test', (c) =>
    c
      .description('run Cilium-style BPF unit tests (PKTGEN/SETUP/CHECK groups, suite_result_map) of each OBJ offline')
      .argument('<obj...>', 'BPF test objects (.o)')
      .addOption(new Option('--format <format>', 'report format').choices(TEST_REPORT_FORMATS as unknown as string[]).default('text'))
      .option('--run <regex>', 'only test groups whose name matches')
      .option('-v, --verbose', 'print the logs of passing tests too')
      .option('--no-verify', 'do not run the verifier-lite at load (programs it refuses still run)')
      .addOption(engineOption(false))
      .option('--budget <n>', 'instruction budget per program run (default 200000000)', (v) => Number.parseInt(v, 10))
      .action(lazy(io, async () => (await import('./commands/index.js')).test)));

  define('verify', (c) =>
    c
      .description("verify a BPF object's programs as Linux 6.18 does at load, with the kernel's messages and log")
      .argument('<object>', 'BPF ELF object (.o)')
      .argument('[program]', 'only this program (function name)')
      .option('--log <level>', 'print the verifier log: 1 (instructions, touched registers, branches) or 2 (full state per instruction)', '0')
      .option('--type <type>', 'program type for unknown section names (default sched_cls)')
      .option('--btf <file>', 'vmlinux BTF for CO-RE relocations')
      .action(lazy(io, async () => (await import('./commands/index.js')).verify)));

  if (prog) prog
    .command('show')
    .description("list an object's programs as bpftool prog show does: type, name, tag, insns, maps, the verifier's verdict")
    .argument('<object>', 'BPF ELF object (.o)')
    .argument('[program]', 'only this program (function name)')
    .option('--json', 'print a JSON array (bpftool -j keys where they apply)')
    .option('--type <type>', 'program type for unknown section names (default sched_cls, as tcxlab run)')
    .option('--btf <file>', 'target BTF for CO-RE relocations (default: the built-in vmlinux BTF of Linux 6.18)')
    .action(lazy(io, async () => (await import('./commands/index.js')).progShow));

  const mapDump = define('map', (c) =>
    c
      .description('bpftool-style map commands')
      .command('dump')
      .description("dump one map of an object as bpftool map dump does, after running PROG on PACKETS_FILE (as tcxlab run) when given")
      .argument('<obj>', 'BPF object file (.o)')
      .argument('<map>', 'map name (as `tcxlab run` names maps: libbpf names, or the name in the object)')
      .argument('[prog]', 'program (function name) to run first')
      .argument('[packets]', 'pcap/pcapng capture, or a file with one hex frame per line, for PROG')
      .option('--json', "bpftool -j's JSON: key/value as hex byte arrays, values per CPU, BTF-formatted values")
      .option('--set <map-key-value...>', 'set a map entry before the run: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG (repeatable)')
      .option('--cpu <n>', 'CPU the program runs on (per-CPU maps)', intArg(0, CPU_ARG_MAX), 0)
      .option('--max-entries <n>', `entries dumped at most (default ${MAP_DUMP_MAX_ENTRIES})`, intArg(0, 1 << 24))
      .option('--type <type>', 'program type for unknown section names (default sched_cls)')
      .option('--btf <file>', 'target BTF for CO-RE relocations'));
  if (mapDump) {
    addMockOptions(mapDump);
    addVerifyOptions(mapDump).action(lazy(io, async () => (await import('./commands/index.js')).mapDump));
  }

  return program;
}
