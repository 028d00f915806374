import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { formatStepTrace, SourceMap, traceRun, TraceRecorder, type TraceRecord } from '../../src/trace/index.js';
import type { ProgramSpec } from '../../loader/spec.js';
import { assemble } from '../../vm/asm.js';
import { kernelRuns, mixedPackets, parseL4 } from './frames.js';

const load = (name: string): Collection => Collection.load(readFileSync(`progs/${name}.bpf.o`));

/** r0 at the final exit: the last write to r0 in frame 0 (the trace's own register record). */
function r0AtExit(records: TraceRecord[]): bigint | undefined {
  let r0: bigint | undefined;
  for (const r of records) if (r.depth === 0) for (const [reg, v] of r.writes ?? []) if (reg === 0) r0 = v;
  return r0;
}

describe('[trace]: per-instruction traces', () => {
  it('every bench_parse trace ends in exit at frame 0 with r0 = the kernel retval of that frame', () => {
    const coll = load('bench_parse');
    const kernel = new Map(kernelRuns('bench_parse.bench_parse').map((r) => [r.line, r]));
    let checked = 0;
    for (const p of mixedPackets()) {
      const k = kernel.get(p.line)!;
      const t = traceRun(coll, 'bench_parse', p.data);
      if (k.err !== 0) {
        expect(t.records).toHaveLength(0); // the test run refused the frame: nothing executed
        continue;
      }
      const last = t.records.at(-1)!;
      expect(last.text).toBe('exit');
      expect(last.depth).toBe(0);
      expect(Number(r0AtExit(t.records)! & 0xffffffffn)).toBe(k.retval);
      expect(t.records).toHaveLength(t.result.insns!);
      checked++;
    }
    expect(checked).toBe(23);
  });

  it('branch outcomes follow the frame: the UDP compare is taken exactly for UDP frames', () => {
    const coll = load('bench_parse');
    for (const p of mixedPackets()) {
      const { l3, l4 } = parseL4(p.data);
      const t = traceRun(coll, 'bench_parse', p.data);
      const udpCmp = t.records.find((r) => /^if w\d+ == 0x11 goto/.test(r.text));
      if (l3 === 'other') expect(udpCmp).toBeUndefined();
      else expect(udpCmp?.taken).toBe(l4 === 17);
    }
  });

  it('a tail call shows the switch of program, and the target runs from its pc 0', () => {
    const coll = load('tailcall');
    const kernel = new Map(kernelRuns('tailcall.tail_dispatch').map((r) => [r.line, r]));
    const udp = mixedPackets().find((p) => parseL4(p.data).l3 === 'ip' && parseL4(p.data).l4 === 17)!;
    const t = traceRun(coll, 'tail_dispatch', udp.data);
    const k = t.records.findIndex((r) => r.tailCall !== undefined);
    expect(k).toBeGreaterThan(0);
    expect(t.records[k - 1].text).toBe('call bpf_tail_call#12');
    expect(t.records[k - 1].prog).toBe('tail_dispatch');
    expect(t.records[k]).toMatchObject({ prog: 'tail_udp', pc: 0, tailCall: { from: 'tail_dispatch', map: 'jump_table', index: 17 } });
    expect(t.records.slice(k).every((r) => r.prog === 'tail_udp')).toBe(true);
    expect(t.result.retval).toBe(kernel.get(udp.line)!.retval);
    // Source lines come from the target's own line info.
    expect(t.records[k].source?.file).toMatch(/tailcall\.bpf\.c$/);
    expect(formatStepTrace(t.records).join('\n')).toContain('-- tail call jump_table[17]: tail_dispatch -> tail_udp');
  });

  it('an empty slot falls through: no switch, the dispatcher goes on after the call', () => {
    const coll = load('tailcall');
    const arp = mixedPackets().find((p) => ((p.data[12] << 8) | p.data[13]) === 0x0806)!;
    const t = traceRun(coll, 'tail_dispatch', arp.data);
    expect(t.records.some((r) => r.tailCall)).toBe(false);
    expect(t.records.every((r) => r.prog === 'tail_dispatch')).toBe(true);
    expect(t.result.retval).toBe(0xffffffff); // TCX_NEXT, as in the source after the call
  });

  it('bpf-to-bpf calls: callee frames are one deeper, named, and carry their own source lines', () => {
    const coll = load('calls');
    const spec = coll.program('calls_main').spec;
    const t = traceRun(coll, 'calls_main', mixedPackets()[0].data);
    const calls = t.records.filter((r) => r.callee !== undefined);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      const next = t.records[t.records.indexOf(c) + 1];
      expect(next.depth).toBe(c.depth + 1);
      const sub = spec.subprograms.find((s) => s.name === c.callee)!;
      expect(next.pc).toBe(sub.insn);
    }
    // Every instruction run inside a subprogram maps to a line inside that function's body in the C file.
    const src = readFileSync('progs/calls.bpf.c', 'utf8').split('\n');
    for (const r of t.records.filter((x) => x.depth > 0 && x.source)) {
      const sub = spec.subprograms.find((s) => r.pc >= s.insn && r.pc < s.insn + s.length)!;
      const def = src.findIndex((l) => new RegExp(`\\b${sub.name}\\(`).test(l) && !l.trim().endsWith(';')) + 1;
      expect(def).toBeGreaterThan(0);
      expect(r.source!.line).toBeGreaterThanOrEqual(def);
      const close = src.findIndex((l, i) => i >= def && l === '}') + 1;
      expect(r.source!.line).toBeLessThanOrEqual(close);
    }
  });

  it('--limit keeps the first N records and says it truncated; the run itself is unchanged', () => {
    const coll = load('bench_parse');
    const f = mixedPackets()[0].data;
    const full = traceRun(coll, 'bench_parse', f);
    const cut = traceRun(coll, 'bench_parse', f, { limit: 5 });
    expect(cut.records).toHaveLength(5);
    expect(cut.truncated).toBe(true);
    expect(cut.records.map((r) => r.pc)).toEqual(full.records.slice(0, 5).map((r) => r.pc));
    expect(cut.result.retval).toBe(full.result.retval);
    expect(full.truncated).toBe(false);
  });

  it('written registers are read at the next step of the frame, as u64 from both halves', () => {
    const coll = load('bench_parse'); // insn 0 of bench_parse is `w0 = 0` (writes r0), insn 1 a load into r2
    const rec = new TraceRecorder(coll, 'bench_parse');
    const lo = new Int32Array(11);
    const hi = new Int32Array(11);
    rec.hook(0, { lo, hi, tag: hi }, 0);
    lo[0] = -1;
    hi[0] = 1;
    rec.hook(1, { lo, hi, tag: hi }, 0);
    expect(rec.records[0].writes).toEqual([[0, 0x1ffffffffn]]);
    expect(rec.records[1].writes).toBeUndefined(); // not known until the next step
  });
});

describe('[trace]: source map', () => {
  it('an instruction without line info takes the nearest preceding line, never across a function start', () => {
    const code = assemble('mov r0, 0\nmov r1, 1\nmov r2, 2\nmov r3, 3\nmov r4, 4\nexit');
    const li = (insn: number, line: number) => ({ insn, file: 'x.c', line, col: 1, text: `l${line}` });
    const spec: ProgramSpec = {
      name: 'main',
      section: 'tc',
      type: { id: 3, name: 'sched_cls' } as never,
      instructions: code,
      lineInfo: [li(0, 10), li(1, 11), li(4, 20)],
      subprograms: [{ name: 'sub', insn: 3, length: 3 }],
    };
    const sm = new SourceMap(spec);
    expect(sm.lineOf.map((l) => l?.line)).toEqual([10, 11, 11, undefined, 20, 20]);
    expect(sm.funcOf).toEqual(['main', 'main', 'main', 'sub', 'sub', 'sub']);
  });
});
