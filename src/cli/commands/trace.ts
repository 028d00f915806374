/**
 * @fileoverview `tcxlab trace OBJ PROG PACKETS_FILE [--ctx HEX] [--set MAP K V]... [--limit N]
 * [--packet N]`: runs PROG on each frame (BPF_PROG_TEST_RUN, as `tcxlab run`) and prints every
 * executed instruction in the verifier log's syntax with the registers it wrote, the branch
 * outcome and the source line (src/trace/step-trace.ts), then the verdict:
 *
 *   == packet 1 (line 3, 46 bytes)
 *      0: (b4) w0 = 0                    ; R0=0x0        @ bench_parse.bpf.c:13
 *      ...
 *     37: (95) exit                      ;               @ bench_parse.bpf.c:52
 *   => retval 2 (TC_ACT_SHOT, TCX_DROP), 28 insns
 *
 * Also exports the object loading shared with `tcxlab cover` (`loadForRun`).
 */
import type { Command } from 'commander';
import { UsageError } from '../../../vm/errors.js';
import { Collection, objectNameOf } from '../../collection.js';
import { loadCollectionSpec } from '../../../loader/index.js';
import type { CollectionSpec, MapSpec } from '../../../loader/spec.js';
import { fromHex as parseHex } from '../../maps/index.js';
import { tcActName, tcxRetName } from '../../net/trace.js';
import { BPF_PROG_TYPE } from '../../uapi.js';
import { defaultBaseState } from '../../helpers/base.js';
import type { TestRunResult } from '../../test-run.js';
import { formatTrace, traceRun } from '../../trace/index.js';
import type { CliIo } from '../io.js';
import { parsePackets, progTypeName, type PacketLine } from './run.js';

function fromHex(hex: string, what: string): Uint8Array {
  const b = parseHex(hex);
  if (b === undefined) throw new UsageError(`${what}: not an even-length hex string: ${JSON.stringify(hex.slice(0, 40))}`);
  return b;
}

/** `--set MAP KEY VALUE` triples (VALUE may be `@PROG` for a prog array). */
export interface SetArg {
  map: string;
  key: string;
  value: string;
}

export function parseSets(raw: string[] | undefined): SetArg[] {
  const r = raw ?? [];
  if (r.length % 3 !== 0) throw new UsageError('--set takes three values: MAP KEYHEX VALHEX');
  const out: SetArg[] = [];
  for (let i = 0; i < r.length; i += 3) out.push({ map: r[i], key: r[i + 1], value: r[i + 2] });
  return out;
}

/**
 * Load OBJ as `tcxlab run` does: unknown sections as sched_cls, `--set` on global data rewrites
 * the initial value before load (so .rodata stays frozen), other maps get entries after load.
 */
export function loadForRun(objBytes: Uint8Array, objPath: string, progName: string, sets: SetArg[]): Collection {
  const objectName = objectNameOf(objPath);
  let spec: CollectionSpec = loadCollectionSpec(objBytes, { programType: 'sched_cls' });
  const probe = new Collection(spec, { objectName, verify: false });
  const nameOf = (ms: MapSpec): string => probe.mapList[spec.maps.indexOf(ms)]?.name ?? ms.name;
  const dataSet = (ms: MapSpec, s: SetArg): boolean => nameOf(ms) === s.map || nameOf(ms).endsWith(s.map) || ms.name === s.map;
  spec = {
    ...spec,
    maps: spec.maps.map((ms) => {
      const mine = ms.source === 'data' ? sets.filter((s) => dataSet(ms, s)) : [];
      if (mine.length === 0) return ms;
      const init = new Uint8Array(ms.valueSize);
      init.set(ms.initialValue?.subarray(0, ms.valueSize) ?? new Uint8Array(0));
      for (const s of mine) {
        const v = fromHex(s.value, `--set ${s.map}`);
        if (v.length > ms.valueSize) throw new UsageError(`--set ${s.map}: value longer than ${ms.valueSize} bytes`);
        init.set(v);
      }
      return { ...ms, initialValue: init };
    }),
  };
  const coll = new Collection(spec, { objectName });
  const t = coll.program(progName).spec.type.id;
  if (t !== BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS && t !== BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_ACT) {
    throw new UsageError(`program ${progName} is ${progTypeName(t)}: tcxlab runs sched_cls and sched_act programs`);
  }
  for (const s of sets) {
    const map = coll.map(s.map);
    if (spec.maps[coll.mapList.indexOf(map)]?.source === 'data') continue;
    const key = fromHex(s.key, `--set ${s.map} key`);
    if (s.value.startsWith('@')) {
      coll.setProgArraySlot(map.name, new DataView(key.buffer, key.byteOffset).getUint32(0, true), s.value.slice(1));
      continue;
    }
    const value = fromHex(s.value, `--set ${s.map} value`);
    map.update(key, map.percpu ? Array.from({ length: coll.mapEnv.ncpus }, () => value.slice()) : value);
  }
  return coll;
}

/** `retval 2 (TC_ACT_SHOT, TCX_DROP)`, or the error / fault of the run. */
export function verdictText(r: TestRunResult): string {
  if (r.fault) return `fault ${r.fault.code} at insn ${r.fault.insnIndex}: ${r.fault.message}`;
  if (r.err !== 0) return `error ${r.err} (the kernel's test run refuses this input; the program did not run)`;
  const v = (r.retval ?? 0) | 0;
  return `retval ${v} (TC_ACT_${tcActName(v)}, ${tcxRetName(v)})`;
}

/** The packets to use (`--packet N` picks the N-th frame, 1-based). */
export function selectPackets(all: PacketLine[], n: number | undefined): PacketLine[] {
  if (n === undefined) return all;
  if (!Number.isInteger(n) || n < 1 || n > all.length) throw new UsageError(`--packet ${n}: the file has ${all.length} frames`);
  return [all[n - 1]];
}

export function register(program: Command, io: CliIo): void {
  program
    .command('trace')
    .description('run PROG of OBJ on each frame of PACKETS_FILE and print every executed instruction with registers written and source line')
    .argument('<obj>', 'BPF object file (.o)')
    .argument('<prog>', 'program (function) name')
    .argument('<packets>', 'file with one hex frame per line (# comments)')
    .option('--ctx <hex>', 'struct __sk_buff ctx_in (192 bytes or a prefix) for every packet')
    .option('--set <map-key-value...>', 'set a map entry before the runs: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG (repeatable)')
    .option('--limit <n>', 'print at most N instructions per packet', (v) => Number.parseInt(v, 10))
    .option('--packet <n>', 'trace only the N-th frame of the file (1-based)', (v) => Number.parseInt(v, 10))
    .action((obj: string, prog: string, packetsFile: string, o: Record<string, unknown>) => {
      const limit = o.limit as number | undefined;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new UsageError('--limit takes a count >= 0');
      const packets = selectPackets(parsePackets(new TextDecoder().decode(io.readFile(packetsFile))), o.packet as number | undefined);
      const coll = loadForRun(io.readFile(obj), obj, prog, parseSets(o.set as string[] | undefined));
      const ctxIn = o.ctx !== undefined ? fromHex(o.ctx as string, '--ctx') : undefined;
      const base = defaultBaseState();
      packets.forEach((p, k) => {
        io.out(`== packet ${o.packet ?? k + 1} (line ${p.line}, ${p.data.length} bytes)\n`);
        const t = traceRun(coll, prog, p.data, { ctxIn, base, limit });
        const lines = formatTrace(t.records);
        if (lines.length) io.out(lines.join('\n') + '\n');
        if (t.truncated) io.out(`... (--limit ${limit}: ${(t.result.insns ?? 0) - t.records.length} more instructions not shown)\n`);
        for (const line of base.trace.splice(0)) io.out(`printk: ${line}\n`);
        io.out(`=> ${verdictText(t.result)}${t.result.insns !== undefined ? `, ${t.result.insns} insns` : ''}\n`);
      });
    });
}
