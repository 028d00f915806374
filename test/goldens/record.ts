/**
 * One entry point over every script that records kernel (or tool) goldens under test/goldens/.
 *
 *   npm run record-goldens [-- --list]             list the areas: script, what it records, needs, writes
 *   npm run record-goldens -- AREA... [--oracle PATH] [--check]
 *   npm run record-goldens -- all [--oracle PATH]  every area except the ones marked "explicit"
 *
 * Each area lists what it needs (root, a Linux version, tools, the kernel oracle). Every need is
 * checked before anything runs; a missing one is reported and nothing is recorded (exit 2).
 * `--check` only reports. The kernel oracle (a program that runs BPF_PROG_TEST_RUN and prints
 * JSON, docs/kernel-oracle.md) is not part of this repository: give its path with `--oracle` or
 * `TCXLAB_ORACLE`; the scripts read `TCXLAB_ORACLE`. Scripts run from the repository root, one
 * after the other; a recording rewrites committed files, so look at `git diff` afterwards.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const G = 'test/goldens';

/** Something an area needs from the machine. */
export type Need =
  | { kind: 'root' }
  | { kind: 'linux'; min: [number, number]; exact?: boolean }
  | { kind: 'tool'; name: string }
  | { kind: 'oracle' }
  | { kind: 'bpffs' }
  | { kind: 'libbpf' }
  | { kind: 'file'; path: string; why: string };

export interface Area {
  /** What it records (one line). */
  records: string;
  /** Commands, run in order from the repository root (argv arrays; no shell unless asked). */
  steps: string[][];
  needs: Need[];
  /** The files it writes (first path from the repository root; the ones after a comma are beside it). */
  writes: string;
  /** Left out of `all` (output that is not reproducible, or that only one kernel build gives). */
  explicit?: string;
  /** Inputs written by generators that are not run here. */
  inputs?: string;
}

const root: Need = { kind: 'root' };
const oracle: Need = { kind: 'oracle' };
const tool = (...names: string[]): Need[] => names.map((name) => ({ kind: 'tool', name }));
const linux = (major: number, minor: number, exact = false): Need => ({ kind: 'linux', min: [major, minor], exact });

/** `net`: every scenario that has a kernel golden beside it. */
function netSteps(): string[][] {
  const dir = join(ROOT, G, 'net');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.net') && existsSync(join(dir, f.replace(/\.net$/, '.kernel.json'))))
    .sort()
    .map((f) => ['sh', '-c', `python3 ${G}/net/record.py ${G}/net/${f} > ${G}/net/${f.replace(/\.net$/, '.kernel.json')}`]);
}

export const AREAS: Record<string, Area> = {
  run: {
    records: 'progs/ objects run through `oracle run` (test/goldens/run/*.json, from manifest.json)',
    writes: `${G}/run/*.json (one per manifest.json entry)`,
    steps: [['bash', `${G}/run/record.sh`]],
    needs: [root, linux(6, 6), oracle, ...tool('bash', 'python3')],
    inputs: `python3 ${G}/run/gen_packets.py (packets/), python3 ${G}/run/manifest.py (manifest.json)`,
  },
  cli: {
    records: 'CLI hardening fixtures (hostile names, a 60 MiB .bss, a huge prog array slot) run through `oracle run` (cli/*.out.json)',
    writes: `${G}/cli/{hostile,bigbss}.bpf.o, one.txt, one.bin, long.bin, hostile.out.json, hostile-set.out.json, kernel.txt`,
    steps: [['sh', `${G}/cli/record.sh`]],
    needs: [root, oracle, ...tool('make', 'clang-19', 'python3', 'xxd')],
  },
  'bench-kernel': {
    records: 'kernel BPF_PROG_TEST_RUN timing of the benchmark programs (bench-kernel/kernel-timing.json)',
    writes: `${G}/bench-kernel/kernel-timing.json`,
    steps: [['python3', `${G}/bench-kernel/measure.py`]],
    needs: [root, oracle, ...tool('python3', 'unshare')],
    explicit: 'timings differ on every run',
  },
  'cls-redirect': {
    records: 'the selftest test_cls_redirect (test/bench/data) on GUE frames through `oracle run`, each in an empty network namespace (bench-kernel/cls_redirect.kernel.json)',
    writes: `${G}/bench-kernel/cls_redirect.kernel.json`,
    steps: [['python3', `${G}/bench-kernel/record-cls-redirect.py`]],
    needs: [root, oracle, ...tool('python3', 'unshare')],
    inputs: `python3 ${G}/bench-kernel/packets/gen_cls_redirect.py (packets/cls_redirect.txt, packets/cr_*.txt)`,
  },
  btf: {
    records: 'BTF fixtures and what clang, llvm-objdump, bpftool and libbpf make of them (btf/), one CO-RE run through the oracle',
    writes: `${G}/btf/NAME.{bpf.o,btf,btf.ext,bpftool.txt,bpftool-c.txt,lines.txt} for each src/NAME.bpf.c, {types,core,poison}.libbpf.txt, core.tc.bin, core.oracle.json, target.vmlinux.txt`,
    steps: [['sh', `${G}/btf/build.sh`]],
    needs: [root, oracle, { kind: 'libbpf' }, ...tool('make', 'clang-19', 'llvm-objcopy-19', 'llvm-objdump-19', 'bpftool', 'gcc')],
  },
  'btf-target': {
    records: 'the built-in CO-RE target data/btf/vmlinux.btf.br and loader/btf/default-target.ts from /sys/kernel/btf/vmlinux',
    writes: 'data/btf/vmlinux.btf.br, loader/btf/default-target.ts (from the repository root)',
    steps: [['npx', 'tsx', `${G}/btf/gen-target.ts`]],
    needs: [linux(6, 18, true), { kind: 'file', path: '/sys/kernel/btf/vmlinux', why: 'the running kernel\'s BTF' }, ...tool('npx')],
    explicit: 'replaces the shipped vmlinux BTF with this machine\'s kernel build',
  },
  helpers: {
    records: 'bpf_trace_printk / snprintf / strtol / strncmp answers (helpers/printk.out.json)',
    writes: `${G}/helpers/printk.bpf.o, printk.out.json`,
    steps: [['sh', `${G}/helpers/record.sh`]],
    needs: [root, oracle, ...tool('make', 'clang-19')],
  },
  helpers2: {
    records: 'misc, dynptr, timer and syncookie helper answers (helpers2/*.out.json)',
    writes: `${G}/helpers2/helpers2.bpf.o, *.out.json`,
    steps: [['sh', `${G}/helpers2/record.sh`]],
    needs: [root, oracle, ...tool('make', 'clang-19')],
  },
  loader: {
    records: 'loader fixtures and what llvm-readelf, llvm-objdump and bpftool say about them (loader/)',
    writes: `${G}/loader/*.bpf.o, stress/*.bpf.o, X.{readelf,objdump,btf}.txt, progs/X.*.txt, progs/objects.sha256`,
    steps: [['sh', `${G}/loader/record.sh`]],
    needs: [...tool('make', 'clang-19', 'llvm-readelf-19', 'llvm-objdump-19', 'bpftool')],
  },
  'loader-xlated': {
    records: 'libbpf\'s subprogram layout as the kernel reports it after loading (loader/xlated/)',
    writes: `${G}/loader/xlated/OBJECT.PROG.txt`,
    steps: [['sh', `${G}/loader/record-xlated.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('bpftool')],
  },
  bpftool: {
    records: 'bpftool prog show / map dump (plain and -j) of bpftool/dump.bpf.o after one run, of typed.bpf.o\'s maps (global data included) after its frames, and of BTF-less maps (bpftool/*.kernel.*)',
    writes: `${G}/bpftool/{dump,typed}.bpf.o, prog-show.kernel.{json,txt}, map-*.kernel.json, map-typed-*.kernel.json, raw-*.kernel.{txt,json}, kernel.txt`,
    steps: [['sh', `${G}/bpftool/record.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('make', 'clang-19', 'bpftool', 'xxd', 'taskset')],
  },
  'kernel-parity': {
    records: 'the bpftool calls of `run --kernel` (prog loadall, map update, prog run, map show/dump) for nine objects and their answers (kernel-parity/*/)',
    writes: `${G}/kernel-parity/*/ (case.txt, loadall.*, run-N.*, map-M.*.json, progs.txt, maps.txt), version.json, kernel.txt`,
    steps: [['sh', `${G}/kernel-parity/record.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('bpftool', 'xxd', 'taskset')],
  },
  mock: {
    records: 'bpf_fib_lookup / bpf_sk_lookup_tcp answers in a network namespace with routes, neighbours and a listener, beside the --env files that declare the same (mock/*.kernel.json, *.env.json)',
    writes: `${G}/mock/*.kernel.json, *.env.json, kernel.txt`,
    steps: [['sh', `${G}/mock/record.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('bpftool', 'ip', 'nsenter', 'python3', 'xxd', 'taskset')],
  },
  maps: {
    records: 'map probe programs run through `oracle run` (maps/*.out.json)',
    writes: `${G}/maps/*.bpf.o, PROGRAM.out.json, kernel.txt`,
    steps: [['sh', `${G}/maps/record.sh`]],
    needs: [root, oracle, ...tool('make', 'clang-19', 'gcc')],
  },
  kfuncs: {
    records: 'kfunc programs run through `oracle run`, the refused kfuncs, and the kfunc prototypes of /sys/kernel/btf/vmlinux (kfuncs/)',
    writes: `${G}/kfuncs/*.bpf.o, *.out.json (timer_*.repeatN.out.json too), kfunc-protos.json`,
    steps: [['sh', `${G}/kfuncs/record.sh`]],
    needs: [root, linux(6, 18), oracle, { kind: 'file', path: '/sys/kernel/btf/vmlinux', why: 'the running kernel\'s BTF' }, ...tool('make', 'clang-19', 'python3', 'bpftool')],
    inputs: `python3 ${G}/kfuncs/record-protos.py (run by record.sh)`,
  },
  flowhash: {
    records: 'skb flow hashes of generated frames through `oracle run` (flowhash/hash.out.json)',
    writes: `${G}/flowhash/packets.txt, hash.bpf.o, hash.out.json`,
    steps: [['sh', `${G}/flowhash/record.sh`]],
    needs: [root, oracle, ...tool('make', 'clang-19', 'python3')],
    inputs: `python3 ${G}/flowhash/gen-packets.py (run by record.sh)`,
  },
  testsuite: {
    records: 'Cilium-style test objects (progs/trf_*.bpf.o) run as the Cilium runner does, through libbpf (testsuite/*.kernel.json)',
    writes: `${G}/testsuite/*.kernel.json`,
    steps: [['sh', `${G}/testsuite/record.sh`]],
    needs: [root, { kind: 'libbpf' }, ...tool('gcc')],
  },
  'maps-syscall': {
    records: 'map creation checks, size limits and host-side element operations through bpf(2) (maps/syscall/*.out.jsonl)',
    writes: `${G}/maps/syscall/*.out.jsonl, kernel.txt`,
    steps: [['sh', `${G}/maps/syscall/record.sh`]],
    needs: [root, { kind: 'libbpf' }, ...tool('gcc')],
  },
  net: {
    records: 'tcxlab net scenarios carried out on veths in a namespace (net/*.kernel.json)',
    writes: `${G}/net/SCENARIO.kernel.json for each net/SCENARIO.net that has one`,
    steps: netSteps(),
    needs: [root, linux(6, 6), { kind: 'bpffs' }, ...tool('python3', 'ip', 'tc', 'bpftool', 'strace', 'nsenter')],
    inputs: `python3 ${G}/net/gen-compare.py > ${G}/net/compare.net`,
  },
  objects: {
    records: 'the BPF objects under test/ that have no kernel goldens of their own (test/data/mock, net/*.bpf.o), and every other one: test/Makefile, the pinned clang-19 build (`make -C test check` compares the bytes)',
    writes: 'every BPF object test/Makefile builds (`make -C test list`): test/data/mock/mock.bpf.o, test/goldens/net/*.bpf.o and the objects of the areas above',
    steps: [['make', '-C', 'test']],
    needs: [...tool('make', 'clang-19')],
  },
  packet: {
    records: 'tshark\'s dissection of the packet builder catalog (packet/catalog.tshark.*)',
    writes: `${G}/packet/catalog.pcapng, catalog.tshark.json, catalog.tshark.txt`,
    steps: [['npx', 'tsx', `${G}/packet/record.ts`]],
    needs: [...tool('npx', 'tshark')],
  },
  pcap: {
    records: 'capture files written by text2pcap, editcap and dumpcap, and what tshark reads in them (pcap/)',
    writes: `${G}/pcap/*.pcap, *.pcapng, expected.json`,
    steps: [['bash', `${G}/pcap/record.sh`]],
    needs: [root, ...tool('bash', 'ip', 'text2pcap', 'editcap', 'dumpcap', 'tshark', 'python3')],
  },
  'pcap-out': {
    records: 'what tshark reads in tcxlab\'s --pcap-out files (pcap/pcap-out.tshark.json)',
    writes: `${G}/pcap/pcap-out.tshark.json`,
    steps: [['npx', 'tsx', `${G}/pcap/pcap-out.ts`]],
    needs: [...tool('npx', 'tshark')],
  },
  skb: {
    records: '__sk_buff access and values, test-run skb construction, skb helpers, LD_ABS, checksums (skb/*.json)',
    writes: `${G}/skb/{ctx-access,ctx-stores,ctx-values,sock-access,test-run-build,helpers,csum-random,ld-abs,csum-complete,test-run-attrs}.json`,
    steps: [
      ['python3', `${G}/skb/record-ctx.py`],
      ['python3', `${G}/skb/record-helpers.py`],
      ['python3', `${G}/skb/record-csum-random.py`],
      ['python3', `${G}/skb/record-ld-abs.py`],
      ['python3', `${G}/skb/record-csum-complete.py`],
      ['python3', `${G}/skb/record-test-run-attrs.py`],
    ],
    needs: [root, linux(6, 18), oracle, ...tool('python3')],
  },
  tcx: {
    records: 'tcx scripts, bpf(2) corners and qdisc-held entries (tcx/**/*.out.json)',
    writes: `${G}/tcx/**/*.out.json (raw/probe.out.json among them)`,
    steps: [['sh', `${G}/tcx/record.sh`]],
    needs: [root, linux(6, 6), oracle, { kind: 'bpffs' }, ...tool('cc', 'tc', 'ip')],
    inputs: `python3 ${G}/tcx/random/gen.py (random/rand_*.txt)`,
  },
  'text-kernel': {
    records: 'the kernel\'s verifier-log text of every instruction of text/kernel/*.asm',
    writes: `${G}/text/kernel/NAME.kernel.json for each NAME.asm`,
    steps: [['sh', '-c', `cd ${G}/text/kernel && sh make.sh`]],
    needs: [root, oracle, ...tool('npx', 'node')],
  },
  'text-bpftool': {
    records: 'bpftool\'s xlated dump of a clang-compiled program (text/bpftool/)',
    writes: `${G}/text/bpftool/xlated.bpftool.txt, xlated.bin, xlated.versions.txt`,
    steps: [['sh', '-c', `cd ${G}/text/bpftool && sh make.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('make', 'clang-19', 'bpftool')],
  },
  'text-func-ids': {
    records: 'the running kernel\'s enum bpf_func_id (text/bpf_func_id.vmlinux.txt)',
    writes: `${G}/text/bpf_func_id.vmlinux.txt`,
    steps: [['sh', `${G}/text/func-ids.sh`]],
    needs: [{ kind: 'file', path: '/sys/kernel/btf/vmlinux', why: 'the running kernel\'s BTF' }, ...tool('bpftool')],
  },
  verifier: {
    records: 'verifier verdicts and logs for hand-written and seeded random programs, for every opcode byte, and processed counts of real, callback and loop programs (verifier/*.kernel.json)',
    writes: `${G}/verifier/*.kernel.json`,
    steps: [
      ['sh', '-c', `cd ${G}/verifier && sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && CASES=ctx-cases.asm OUT=ctx-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && CASES=pkt-cases.asm OUT=pkt-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && CASES=prune-cases.asm OUT=prune-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && LOGLEVEL=4 CASES=prune-count-cases.asm OUT=prune-count-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && LOGLEVEL=4 CASES=precision-cases.asm OUT=precision-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && CASES=bounds-cases.asm OUT=bounds-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && LOGLEVEL=4 CASES=maygoto-cases.asm OUT=maygoto-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && CASES=mov32-cases.asm OUT=mov32-cases.kernel.json sh make.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-processed.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-callbacks.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-loops.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-othertypes.sh`],
      ['sh', '-c', `cd ${G}/verifier/linked && sh make-linked.sh`],
      ['sh', '-c', `cd ${G}/verifier/tailcall && sh make-tailcall.sh`],
      ['sh', '-c', `cd ${G}/verifier/spinlock && sh make-spinlock.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-opcodes.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-ctx-random.sh`],
      ['sh', '-c', `cd ${G}/verifier && sh make-pkt-random.sh`],
    ],
    needs: [root, oracle, { kind: 'libbpf' }, ...tool('npx', 'node', 'gcc', 'llvm-objdump-19', 'clang-19', 'make')],
  },
  'verifier-map-compat': {
    records: 'the kernel\'s verdict on helpers given map types they may or may not take, one program per object (verifier/map-compat/kernel.json and its objects)',
    writes: `${G}/verifier/map-compat/prog{1,2,3,4}.bpf.o, kernel.json`,
    steps: [['sh', '-c', `cd ${G}/verifier/map-compat && sh record.sh`]],
    needs: [root, { kind: 'bpffs' }, ...tool('make', 'clang-19', 'bpftool', 'llvm-objdump-19')],
  },
  vm: {
    records: 'ISA corner cases run as raw programs (vm/raw_cases.out.json)',
    writes: `${G}/vm/raw_cases.out.json`,
    steps: [['sh', `${G}/vm/record.sh`]],
    needs: [root, oracle],
    inputs: `python3 ${G}/vm/gen_raw_cases.py (raw_cases.txt)`,
  },
  exceptions: {
    records: 'the kernel\'s retval for every tc program of the BPF exceptions selftest (bpf_throw, exception callbacks), loaded by libbpf 1.5 (run.c); raw bpf_throw / RCU programs through `oracle raw`',
    writes: `${G}/exceptions/exceptions.out.json, raw_cases.out.json`,
    steps: [['bash', `${G}/exceptions/record.sh`], ['python3', `${G}/exceptions/record-raw.py`]],
    needs: [root, oracle, ...tool('bash', 'gcc', 'python3', 'bpftool')],
    explicit: 'needs the object and libbpf 1.5 built first by test/corpus/exceptions/build.sh',
    inputs: 'bash test/corpus/exceptions/build.sh (exceptions.bpf.o from the selftest source exceptions.c, and libbpf 1.5 in its WORK directory)',
  },
  'verifier-selftests': {
    records: 'the kernel\'s verdicts on the Linux 6.12 verifier selftests (test/corpus/verifier-selftests/)',
    writes: 'test/goldens/verifier-selftests/FILE.json (through test/corpus/verifier-selftests/goldens.ts)',
    steps: [['bash', 'test/corpus/verifier-selftests/record.sh']],
    needs: [root, ...tool('bash', 'gcc')],
    explicit: 'needs the objects and libbpf 1.5 built first by test/corpus/verifier-selftests/build.sh',
    inputs: 'bash test/corpus/verifier-selftests/build.sh (obj/*.bpf.o, manifest.json, and libbpf 1.5 in its WORK directory)',
  },
};

function describeNeed(n: Need): string {
  switch (n.kind) {
    case 'root':
      return 'root';
    case 'linux':
      return `Linux ${n.exact ? '' : '>= '}${n.min.join('.')}`;
    case 'tool':
      return n.name;
    case 'oracle':
      return 'kernel oracle (--oracle / TCXLAB_ORACLE)';
    case 'bpffs':
      return 'bpffs at /sys/fs/bpf';
    case 'libbpf':
      return 'libbpf-dev';
    case 'file':
      return n.path;
  }
}

const onPath = (name: string): boolean => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;

function kernelVersion(): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release());
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** Why the need is not met, or null. */
function missing(n: Need, oraclePath: string | undefined): string | null {
  switch (n.kind) {
    case 'root':
      return process.getuid?.() === 0 ? null : 'needs root (bpf(), network namespaces): run it with sudo';
    case 'linux': {
      const [maj, min] = kernelVersion();
      const ok = n.exact ? maj === n.min[0] && min === n.min[1] : maj > n.min[0] || (maj === n.min[0] && min >= n.min[1]);
      return ok ? null : `needs ${describeNeed(n)}; this is ${release()}`;
    }
    case 'tool':
      return onPath(n.name) ? null : `needs ${n.name} on PATH`;
    case 'oracle':
      if (oraclePath === undefined || oraclePath === '')
        return 'needs the kernel oracle (a program that runs BPF_PROG_TEST_RUN and prints JSON; docs/kernel-oracle.md): build it, then pass --oracle PATH or set TCXLAB_ORACLE';
      try {
        accessSync(oraclePath, constants.X_OK);
        return null;
      } catch {
        return `the kernel oracle ${oraclePath} is not an executable file`;
      }
    case 'bpffs':
      return readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[2] === 'bpf') ? null : 'needs bpffs mounted (mount -t bpf bpf /sys/fs/bpf)';
    case 'libbpf':
      return existsSync('/usr/include/bpf/libbpf.h') ? null : 'needs libbpf-dev (/usr/include/bpf/libbpf.h)';
    case 'file':
      return existsSync(n.path) ? null : `needs ${n.path} (${n.why})`;
  }
}

/** The script a step runs, for the listing: `cd DIR && sh make.sh` is DIR/make.sh, `make -C DIR` is DIR/Makefile. */
export function scriptOf(step: string[]): string {
  if (step[0] === 'make' && step[1] === '-C') return `${step[2]}/Makefile`;
  const cmd = step[0] === 'sh' && step[1] === '-c' ? step[2] : step.join(' ');
  const cd = /^cd (\S+) && (?:\S+=\S+ )*sh (\S+)/.exec(cmd);
  if (cd) return `${cd[1]}/${cd[2]}`;
  return /(test\/\S+\.(?:sh|py|ts))/.exec(cmd)?.[1] ?? cmd;
}

function list(): void {
  console.log('npm run record-goldens -- AREA... | all  [--oracle PATH] [--check]   (--list: this list)\n');
  for (const [name, a] of Object.entries(AREAS)) {
    const scripts = [...new Set(a.steps.map(scriptOf))];
    console.log(`${name.padEnd(18)} ${a.records}`);
    console.log(`${''.padEnd(18)} script: ${scripts.join(', ')}`);
    console.log(`${''.padEnd(18)} needs: ${a.needs.map(describeNeed).join(', ') || 'nothing special'}`);
    console.log(`${''.padEnd(18)} writes: ${a.writes}`);
    if (a.inputs) console.log(`${''.padEnd(18)} inputs written by: ${a.inputs}`);
    if (a.explicit) console.log(`${''.padEnd(18)} not in "all": ${a.explicit}`);
  }
}

export function main(argv: string[]): number {
  let oraclePath = process.env.TCXLAB_ORACLE;
  let check = false;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--oracle') {
      oraclePath = argv[++i];
      if (oraclePath === undefined) {
        console.error('record-goldens: --oracle needs a path');
        return 2;
      }
    } else if (a.startsWith('--oracle=')) oraclePath = a.slice('--oracle='.length);
    else if (a === '--check') check = true;
    else if (a === '-h' || a === '--help' || a === '--list') names.push('list');
    else names.push(a);
  }
  if (names.length === 0 || names.includes('list')) {
    list();
    return 0;
  }
  const chosen = names.includes('all') ? Object.keys(AREAS).filter((n) => !AREAS[n].explicit) : names;
  const unknown = chosen.filter((n) => !Object.hasOwn(AREAS, n));
  if (unknown.length > 0) {
    console.error(`record-goldens: unknown area ${unknown.join(', ')} (npm run record-goldens lists them)`);
    return 2;
  }
  // npm runs scripts from the package root; a relative --oracle is meant from where npm was started.
  if (oraclePath) oraclePath = resolve(process.env.INIT_CWD ?? process.cwd(), oraclePath);
  let refused = false;
  for (const n of chosen) {
    const why = [...new Set(AREAS[n].needs.map((need) => missing(need, oraclePath)).filter((w): w is string => w !== null))];
    for (const w of why) console.error(`record-goldens: ${n}: ${w}`);
    if (why.length > 0) refused = true;
    else if (check) console.log(`record-goldens: ${n}: every need is met`);
  }
  if (refused) {
    console.error('record-goldens: nothing recorded');
    return 2;
  }
  if (check) return 0;
  const env = { ...process.env, ...(oraclePath ? { TCXLAB_ORACLE: oraclePath } : {}) };
  for (const n of chosen) {
    for (const step of AREAS[n].steps) {
      console.log(`record-goldens: ${n}: ${step.join(' ')}`);
      const r = spawnSync(step[0], step.slice(1), { cwd: ROOT, env, stdio: 'inherit' });
      if (r.status !== 0) {
        console.error(`record-goldens: ${n}: ${step.join(' ')} exited with ${r.status ?? r.signal ?? r.error?.message}`);
        return 1;
      }
    }
  }
  console.log('record-goldens: done; review the changes with `git status` and `git diff --stat` before committing');
  return 0;
}

// Run only as a program (npm run record-goldens), not when a test imports the area table.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
