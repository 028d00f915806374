/**
 * Replays every kernel golden of test/goldens/run/manifest.json through `tcxlab run` (in-process)
 * and diffs the JSON (for run-goldens.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Engine } from '../../vm/engine.js';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface GoldenEntry {
  name: string;
  object: string;
  program: string;
  argv: string[];
  output: string;
  volatile: string[];
  note: string;
}

export function manifest(): GoldenEntry[] {
  return JSON.parse(readFileSync(join(ROOT, 'test/goldens/run/manifest.json'), 'utf8')).goldens;
}

/** Paths like `maps.jmp_table.entries[0][1]` → delete from both sides after checking presence. */
function dropPath(obj: unknown, path: string): boolean {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let cur = obj as Record<string, unknown>;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = cur?.[parts[i]] as Record<string, unknown>;
    if (cur === undefined || cur === null) return false;
  }
  const last = parts[parts.length - 1];
  if (!(last in cur)) return false;
  cur[last] = '<volatile>';
  return true;
}

export interface GoldenResult {
  entry: GoldenEntry;
  ours: Record<string, unknown>;
  kernel: Record<string, unknown>;
  stderr: string;
  code: number;
}

export async function replay(entry: GoldenEntry, engine: Engine = 'interp'): Promise<GoldenResult> {
  const io = memoryIo();
  const argv = entry.argv.map((a) => (a.startsWith('progs/') || a.startsWith('test/') ? join(ROOT, a) : a));
  const code = await run([...argv, '--engine', engine], io);
  const kernel = JSON.parse(readFileSync(join(ROOT, entry.output), 'utf8'));
  let ours: Record<string, unknown> = {};
  try {
    ours = JSON.parse(io.stdout);
  } catch {
    /* left empty: the test reports stderr */
  }
  // A load failure: the kernel's libbpf log and the object path as typed are not comparable;
  // the verdict (error kind and errno) is.
  if ('error' in kernel) {
    for (const side of [kernel, ours]) {
      delete side.libbpf_log;
      delete side.log;
      delete side.message;
    }
  }
  for (const p of entry.volatile) {
    dropPath(kernel, p);
    dropPath(ours, p);
  }
  // Prog arrays and maps of maps hold kernel-assigned ids (of programs and inner maps): compare
  // which slots are filled, not the id values.
  for (const side of [kernel, ours]) {
    for (const m of Object.values((side.maps as Record<string, { type: number; entries: [string, unknown][] }>) ?? {})) {
      if ([3, 12, 13].includes(m.type)) for (const e of m.entries) if (typeof e[1] === 'string') e[1] = '<id>';
    }
  }
  // The trace is tcxlab's own addition (bpf_trace_printk output); the kernel writes it to tracefs.
  for (const r of (ours.runs as Record<string, unknown>[] | undefined) ?? []) delete r.trace;
  return { entry, ours, kernel, stderr: io.stderr, code };
}
