/**
 * Replays what test/goldens/kernel-parity/record.sh recorded from bpftool and the kernel, as an
 * Exec for src/kernel-parity/bpftool.ts: `prog loadall` makes the pins the recording listed,
 * each `prog run` answers with the next recorded run (writing its data_out/ctx_out files where
 * the caller asked for them), `map show`/`map dump` with the recorded JSON.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Exec, KernelHost } from '../../src/kernel-parity/index.js';

export const GOLDENS = new URL('../goldens/kernel-parity/', import.meta.url);

const BPFTOOL = '/replay/bpftool';
const TASKSET = '/replay/taskset';

export interface RecordedCase {
  name: string;
  obj: string;
  prog: string;
  packets: string;
  ctx: 'none' | 'zero';
  /** The case's --set triples. */
  sets: Array<{ map: string; key: string; value: string }>;
  dir: URL;
}

export function recordedCase(name: string): RecordedCase {
  const dir = new URL(`${name}/`, GOLDENS);
  const [obj, prog, packets, ctx] = readFileSync(new URL('case.txt', dir), 'utf8').trim().split(' ');
  const setsFile = new URL('sets.txt', dir);
  const sets = existsSync(setsFile)
    ? readFileSync(setsFile, 'utf8').trim().split('\n').map((l) => {
        const [map, key, value] = l.split(' ');
        return { map, key, value };
      })
    : [];
  return { name, obj, prog, packets, ctx: ctx as 'none' | 'zero', sets, dir };
}

/** A root Linux host with bpftool and taskset whose "bpffs" is a fresh temporary directory. */
export function replayHost(): KernelHost {
  return {
    platform: 'linux',
    uid: 0,
    which: (n) => (n === 'bpftool' ? BPFTOOL : n === 'taskset' ? TASKSET : undefined),
    isBpffs: () => true,
    release: () => readFileSync(new URL('kernel.txt', GOLDENS), 'utf8').trim(),
    bpffs: mkdtempSync(join(tmpdir(), 'tcxlab-replay-bpffs-')),
  };
}

/** The Exec replaying one recorded case; `calls` lists every argument vector it was given. */
export function replayExec(c: RecordedCase): Exec & { calls: string[][] } {
  const read = (f: string): string => readFileSync(new URL(f, c.dir), 'utf8');
  const has = (f: string): boolean => existsSync(new URL(f, c.dir));
  let runs = 0;
  const calls: string[][] = [];
  const exec = async (file: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let args = argv;
    if (file === TASKSET) {
      if (args[0] !== '-c' || args[2] !== BPFTOOL) throw new Error(`replay: unexpected taskset call ${args.join(' ')}`);
      args = args.slice(3);
    } else if (file !== BPFTOOL) throw new Error(`replay: unexpected program ${file}`);
    calls.push(args);
    const at = (k: string): string => args[args.indexOf(k) + 1];
    const cmd = args.filter((a) => a !== '-j').slice(0, 2).join(' ');
    switch (cmd) {
      case 'version':
        return { code: 0, stdout: readFileSync(new URL('version.json', GOLDENS), 'utf8'), stderr: '' };
      case 'prog loadall': {
        const code = Number(read('loadall.rc'));
        if (code === 0) {
          for (const p of read('progs.txt').split('\n').filter(Boolean)) mkdirSync(join(args[3], p), { recursive: true });
          for (const m of read('maps.txt').split('\n').filter(Boolean)) mkdirSync(join(args[5], m), { recursive: true });
        }
        return { code, stdout: '', stderr: read('loadall.stderr') };
      }
      case 'map update':
        return { code: 0, stdout: '', stderr: '' };
      case 'prog run': {
        runs++;
        const n = runs;
        if (has(`run-${n}.data_out.hex`)) writeFileSync(at('data_out'), Buffer.from(read(`run-${n}.data_out.hex`), 'hex'));
        if (args.includes('ctx_out') && has(`run-${n}.ctx_out.hex`)) writeFileSync(at('ctx_out'), Buffer.from(read(`run-${n}.ctx_out.hex`), 'hex'));
        return { code: Number(read(`run-${n}.rc`)), stdout: read(`run-${n}.json`), stderr: '' };
      }
      case 'map show':
        return { code: 0, stdout: read(`map-${basename(args[args.length - 1])}.show.json`), stderr: '' };
      case 'map dump': {
        const f = `map-${basename(args[args.length - 1])}.dump.json`;
        return { code: has(f) && read(f).startsWith('[') ? 0 : 255, stdout: has(f) ? read(f) : '', stderr: '' };
      }
      default:
        throw new Error(`replay: unexpected bpftool call ${args.join(' ')}`);
    }
  };
  return Object.assign(exec, { calls });
}
