/**
 * `compare`: the same programs under tcx, cls_bpf da and cls_bpf non-da.
 *
 * The outcomes are checked against the kernel: test/goldens/net/compare.net sets compare.bpf.o up
 * the three ways on three veth pairs and was recorded on 6.18 (compare.kernel.json, made by
 * record.py); for every case the kernel's local delivery, drop reasons and run counters of the
 * device set up one way must be what `compare` reports for that path. The reasons are checked
 * for the cases the issue names, against the kernel functions they cite (docs/classic-vs-tcx.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, compareScenario, type ComparePath, type CompareResult } from '../../src/net/compare.js';
import { BpfError, UsageError } from '../../vm/errors.js';
import { ENGINES } from '../../vm/engine.js';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'test', 'goldens', 'net');
const OBJ = new Uint8Array(readFileSync(join(DIR, 'compare.bpf.o')));

interface KernelStep {
  line: number;
  cmd: string;
  rc: number;
  delivered?: number;
  value?: string;
  drops?: [string, string][];
}
const kernel = JSON.parse(readFileSync(join(DIR, 'compare.kernel.json'), 'utf8')) as { steps: KernelStep[] };
const DEVICE_PATH: Record<string, ComparePath> = { veth0: 'tcx', veth2: 'da', veth4: 'nonda', veth6: 'tcx', veth8: 'da', veth10: 'nonda' };

/** Per case and path: the frame, the kernel's fate and how often first/second ran. */
interface KernelCase {
  frame: Uint8Array;
  fate: Partial<Record<ComparePath, string>>;
  runs: Partial<Record<ComparePath, [number, number]>>;
  seen: Partial<Record<ComparePath, [number, number]>>;
}
/**
 * The recorded cases of one direction. A frame that passes is delivered to the local socket:
 * at ingress on the device itself ('stack'), at egress on the veth peer, which is what compare's
 * dummy device calls 'transmitted'.
 */
function kernelCases(dir: 'ingress' | 'egress'): KernelCase[] {
  const cases: KernelCase[] = [];
  const lastRuns: Record<string, [number, number]> = {};
  let cur: KernelCase | undefined;
  let path: ComparePath | undefined;
  let mine = false;
  kernel.steps.forEach((s) => {
    const w = s.cmd.split(/\s+/);
    if (w[0] === 'send') {
      mine = w[2] === dir;
      if (!mine) return;
      path = DEVICE_PATH[w[1]];
      if (path === 'tcx') cases.push((cur = { frame: Uint8Array.from(Buffer.from(w[3], 'hex')), fate: {}, runs: {}, seen: {} }));
      const tc = (s.drops ?? []).filter(([, fn]) => /^(__netif_receive_skb_core|__dev_queue_xmit|skb_do_redirect)/.test(fn)).map(([r]) => r);
      cur!.fate[path] = s.delivered === 1 ? (dir === 'ingress' ? 'stack' : 'transmitted') : tc.length ? `drop ${tc[0]}` : 'consumed';
    } else if (!mine) {
      return;
    } else if (w[0] === 'map' && w[2].endsWith('/runs')) {
      const v = Buffer.from(s.value!, 'hex');
      const now: [number, number] = [Number(v.readBigUInt64LE(0)), Number(v.readBigUInt64LE(8))];
      const before = lastRuns[path!] ?? [0, 0];
      cur!.runs[path!] = [now[0] - before[0], now[1] - before[1]];
      lastRuns[path!] = now;
    } else if (w[0] === 'map' && w[2].endsWith('/seen')) {
      const v = Buffer.from(s.value!, 'hex');
      cur!.seen[path!] = [v.readUInt32LE(0), v.readUInt32LE(4)];
    }
  });
  return cases;
}
const CASES = kernelCases('ingress');
const EGRESS = kernelCases('egress');

function fateOf(r: CompareResult, i: number, p: ComparePath): string {
  const o = r.frames[i].outcomes[p]!;
  return o.fate === 'drop' ? `drop ${o.dropReason}` : o.fate;
}

describe('compare vs the kernel (test/goldens/net/compare.net)', () => {
  it('has the ten recorded cases per direction', () => {
    for (const cs of [CASES, EGRESS]) {
      expect(cs).toHaveLength(10);
      for (const c of cs) expect(Object.keys(c.fate).sort()).toEqual(['da', 'nonda', 'tcx']);
    }
  });
  for (const [engine, dir] of (['ingress', 'egress'] as const).flatMap((d) => ENGINES.map((e) => [e, d] as const))) {
    it(`every path's fate and run counts are the kernel's (${dir}, ${engine})`, () => {
      const cases = dir === 'ingress' ? CASES : EGRESS;
      const r = compare(OBJ, ['first', 'second'], cases.map((c) => c.frame), { engine, dir });
      cases.forEach((c, i) => {
        for (const p of ['tcx', 'da', 'nonda'] as const) {
          const where = `case ${i + 1} ${p}`;
          expect(fateOf(r, i, p), where).toBe(c.fate[p]);
          const ran = r.frames[i].outcomes[p]!.ran;
          expect([ran.filter((x) => x === 'first').length, ran.filter((x) => x === 'second').length], where).toEqual(c.runs[p]);
        }
      });
    });
  }
  it('the tc_classid a classic program sees is the filter classid (the kernel: seen = 1 under non-da 1:1, 0 under tcx and da)', () => {
    const r = compare(OBJ, ['first', 'second'], CASES.map((c) => c.frame));
    CASES.forEach((c, i) => {
      for (const p of ['tcx', 'da', 'nonda'] as const) {
        if (!r.frames[i].outcomes[p]!.ran.includes('first')) continue;
        // first writes the tc_classid it saw into the frame at offset 54 (big endian)
        const b = r.frames[i].outcomes[p]!.bytes;
        expect(new DataView(b.buffer, b.byteOffset).getUint32(54), `case ${i + 1} ${p}`).toBe(c.seen[p]![0]);
      }
    });
  });
});

describe('compare: differences and reasons', () => {
  const r = compare(OBJ, ['first', 'second'], CASES.map((c) => c.frame));
  const diff = (i: number, field: string) => r.frames[i].differences.find((d) => d.field === field);

  it('TC_ACT_STOLEN: tcx maps it to TCX_NEXT and the classic filters run next; cls_bpf da consumes the packet', () => {
    const d = diff(1, 'verdict')!;
    expect(d.values).toEqual({ tcx: 'TC_ACT_UNSPEC (-1)', da: 'TC_ACT_STOLEN (4)', nonda: 'TC_ACT_OK (0)' });
    expect(d.why).toContain('tcx: tcx maps TC_ACT_STOLEN (4) from first to TCX_NEXT (tcx_action_code): the tcx run ends there and the classic filters run next');
    expect(d.why.some((l) => l.startsWith('da: cls_bpf da: the prio 1 filter (first) returned TC_ACT_STOLEN (4)'))).toBe(true);
    expect(d.why.some((l) => l.startsWith('non-da 1:1: non-da cls_bpf reads 4 from the prio 1 filter (first) as a classid (0:4), not as a verdict'))).toBe(true);
    expect(diff(1, 'fate')!.why).toContain('da: sch_handle_ingress: TC_ACT_STOLEN means the packet is consumed (consume_skb): it goes no further');
  });

  it('an early verdict ends the chain: "the prio 2 filter never ran", and tcx stops at the first non-NEXT', () => {
    // case 7: first returns TC_ACT_OK
    expect(r.frames[6].outcomes.da!.story).toContain('TC_ACT_OK from the prio 1 filter (first) ends the classic chain: the prio 2 filter (second) never ran');
    // case 3: first returns RECLASSIFY (1): tcx ends its run, da goes on to second which drops
    const ran = diff(2, 'ran')!;
    expect(ran.values).toEqual({ tcx: 'first', da: 'first second', nonda: 'first' });
    expect(ran.why).toContain('tcx: tcx stops at the first return other than TCX_NEXT: first returned TC_ACT_RECLASSIFY (1) = TCX_NEXT, so second never ran');
    expect(ran.why.some((l) => l.includes('cls_bpf da turns TC_ACT_RECLASSIFY (1) from the prio 1 filter (first) into TC_ACT_UNSPEC'))).toBe(true);
  });

  it('tc_index and classid: non-da takes the return value as the class; tcx PASS copies tc_classid', () => {
    const t = diff(1, 'tcIndex')!;
    expect(t.values).toEqual({ tcx: '0x0', da: '0x0', nonda: '0x4' });
    expect(t.why).toContain('non-da 1:1: tc_run: TC_ACT_OK sets tc_index to the minor of classid 0:4 (4)');
    expect(t.why).toContain('da: TC_ACT_STOLEN sets no class and leaves tc_index as it was');
    expect(r.frames[0].outcomes.nonda!.classid).toBe(0x10001);
    expect(r.frames[0].outcomes.tcx!.classid).toBeNull();
    expect(r.frames[6].outcomes.tcx!.classid).toBe(0); // TCX_PASS: tc_classid 0
  });

  it('identical outcomes give no differences except what the classid preset changes', () => {
    // case 1: everything passes; first wrote the tc_classid it saw (1 under non-da) into the frame
    const fields = r.frames[0].differences.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['verdict', 'ran', 'bytes', 'tcIndex', 'classid']));
    expect(fields).not.toContain('fate');
    expect(diff(0, 'bytes')!.why).toContain('non-da 1:1: ran first');
    // first returns TC_ACT_OK: tcx PASS; non-da 0 is no match: the same program ran, it saw
    // tc_classid 0 under tcx and 1 (the filter's 1:1) under non-da, and wrote it into the frame
    const same = compare(OBJ, ['first'], [CASES[6].frame], { paths: ['tcx', 'nonda'] });
    const bytes = same.frames[0].differences.find((d) => d.field === 'bytes')!;
    expect(bytes.why[0]).toBe('the same programs ran (first): what differs is what they saw or what happened after the hook');
    expect(bytes.why[1]).toMatch(/^cls_bpf_classify sets tc_classid to the filter's classid .*; tcx does not/);
    const one = compare(OBJ, ['first'], [CASES[6].frame], { paths: ['tcx', 'da'] });
    expect(one.frames[0].differences).toEqual([]);
  });

  it('verdicts are signed and named; outcomes carry the metadata', () => {
    const o = r.frames[0].outcomes.tcx!;
    expect(o.verdict).toBe(-1);
    expect(o.verdictName).toBe('TC_ACT_UNSPEC');
    expect(r.frames[3].outcomes.tcx!.verdictName).toBe('TC_ACT_SHOT');
    expect(typeof o.mark).toBe('number');
    expect(typeof o.priority).toBe('number');
    const m = compare(OBJ, ['first'], [CASES[0].frame], { mark: 5, priority: 3 });
    expect(m.frames[0].outcomes.da!.mark).toBe(5);
    expect(m.frames[0].outcomes.da!.priority).toBe(3);
  });

  it('--prio and --classid move the classic filters', () => {
    const p = compare(OBJ, ['first', 'second'], [CASES[6].frame], { prio: 10, classid: 0x20005, paths: ['da', 'nonda'] });
    expect(p.frames[0].outcomes.da!.story).toContain('TC_ACT_OK from the prio 10 filter (first) ends the classic chain: the prio 11 filter (second) never ran');
    expect(p.frames[0].outcomes.nonda!.classid).toBe(0x20005);
    expect(p.frames[0].outcomes.nonda!.tcIndex).toBe(5);
  });

  it('egress: a pass leaves on the wire, a drop is TC_EGRESS', () => {
    const e = compare(OBJ, ['first', 'second'], [CASES[0].frame, CASES[3].frame], { dir: 'egress' });
    expect(e.frames[0].outcomes.tcx!.fate).toBe('transmitted');
    expect(e.frames[1].outcomes.tcx!.dropReason).toBe('TC_EGRESS');
    expect(e.frames[1].outcomes.nonda!.fate).toBe('transmitted');
    expect(e.frames[1].differences.find((d) => d.field === 'fate')!.why).toContain('tcx: sch_handle_egress: TC_ACT_SHOT frees the packet (drop reason TC_EGRESS)');
  });

  it('each path has its own maps: counters do not leak between paths', () => {
    const two = compare(OBJ, ['first'], [CASES[0].frame, CASES[0].frame]);
    for (const p of ['tcx', 'da', 'nonda'] as const) expect(two.frames[1].outcomes[p]!.ran).toEqual(['first']);
  });

  it('bad requests are usage errors', () => {
    expect(() => compare(OBJ, [], [])).toThrow(UsageError);
    expect(() => compare(OBJ, ['first', 'first'], [])).toThrow(/only once/);
    expect(() => compare(OBJ, ['nope'], [])).toThrow(BpfError);
    expect(() => compare(OBJ, ['first'], [], { paths: ['classic' as ComparePath] })).toThrow(UsageError);
    expect(() => compare(OBJ, ['first'], [], { prio: 0 })).toThrow(UsageError);
    expect(() => compare(OBJ, ['first'], [], { dir: 'sideways' as 'ingress' })).toThrow(UsageError);
  });
});

describe('compareScenario: whole setups', () => {
  const read = (p: string) => new Uint8Array(readFileSync(p));
  const text = [
    'ip link add veth0 type veth peer name veth1',
    'ip link set veth0 up',
    'ip link set veth1 up',
    'load test/goldens/net/compare.bpf.o as a',
    'load test/goldens/net/verdicts.bpf.o as b',
    '# agent a: first on tcx ingress; agent b: v0 behind it; and one classic filter of its own',
    'bpftool net attach tcx_ingress pinned a/first dev veth0',
    'bpftool net attach tcx_ingress pinned b/v0 dev veth0',
    'tc qdisc add dev veth0 clsact',
    'tc filter add dev veth0 ingress prio 1 handle 1 bpf da pinned b/v1',
    `send veth0 ingress ${Buffer.from(CASES[1].frame).toString('hex')}`,
    `send veth0 ingress ${Buffer.from(CASES[0].frame).toString('hex')}`,
  ].join('\n');
  const r = compareScenario(text, { readFile: read, cwd: ROOT });

  it('compares every sent frame, by scenario line', () => {
    expect(r.frames.map((f) => f.line)).toEqual([11, 12]);
    expect(r.programs).toEqual(expect.arrayContaining(['first', 'v0', 'v1']));
  });

  it('the tcx path is the scenario as written; the classic paths put the tcx programs in front of its own filter', () => {
    // first returns STOLEN: tcx NEXT ends the tcx run before v0; the real classic filter v1 runs
    const f = r.frames[0];
    expect(f.outcomes.tcx!.ran).toEqual(['first', 'v1']);
    expect(f.outcomes.tcx!.fate).toBe('stack');
    expect(f.outcomes.da!.ran).toEqual(['first']);
    expect(f.outcomes.da!.fate).toBe('consumed');
    expect(f.outcomes.da!.story).toContain('TC_ACT_STOLEN from the prio 1 filter (first) ends the classic chain: the prio 2 filter (v0) never ran');
    expect(f.outcomes.tcx!.story).toContain('tcx stops at the first return other than TCX_NEXT: first returned TC_ACT_STOLEN (4) = TCX_NEXT, so v0 never ran');
    // case 1: everything continues; the classic view runs first, v0, then the device's own v1
    expect(r.frames[1].outcomes.nonda!.ran).toEqual(['first']);
    expect(r.frames[1].outcomes.da!.ran).toEqual(['first', 'v0', 'v1']);
  });

  it('keeps the three runs of the scenario', () => {
    expect(r.steps.tcx!.length).toBe(r.steps.da!.length);
    expect(r.steps.da![10].traces).toHaveLength(1);
  });
});
