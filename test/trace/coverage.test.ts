import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { CoverageCollector, formatAnnotated, formatLcov, formatSummary, totals } from '../../src/trace/index.js';
import { Op } from '../../vm/isa.js';
import { kernelRuns, mixedPackets, parseL4 } from './frames.js';

const load = (name: string): Collection => Collection.load(readFileSync(`progs/${name}.bpf.o`));

function coverMixed(obj: string, prog: string): { coll: Collection; cov: CoverageCollector } {
  const coll = load(obj);
  const cov = new CoverageCollector(coll);
  for (const p of mixedPackets()) cov.run(prog, p.data);
  return { coll, cov };
}

/** Minimal LCOV reader: records of key → values. */
function parseLcov(text: string): Array<Map<string, string[]>> {
  const recs: Array<Map<string, string[]>> = [];
  let cur = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === 'end_of_record') {
      recs.push(cur);
      cur = new Map();
      continue;
    }
    const m = /^([A-Z]+):(.*)$/.exec(line);
    expect(m, `bad LCOV line ${JSON.stringify(line)}`).not.toBeNull();
    const [, k, v] = m!;
    if (!cur.has(k)) cur.set(k, []);
    cur.get(k)!.push(v);
  }
  expect(cur.size).toBe(0); // the last record was closed
  return recs;
}

describe('[coverage]: bench_parse over mixed.txt', () => {
  const { coll, cov } = coverMixed('bench_parse', 'bench_parse');
  const c = cov.program('bench_parse')!;
  const code = coll.program('bench_parse').linked.code;
  const frames = mixedPackets().map((p) => parseL4(p.data));
  const udp = frames.filter((f) => f.l3 !== 'other' && f.l4 === 17).length;
  const ip = frames.filter((f) => f.l3 !== 'other').length;

  it('counts only runs that executed: as many as the kernel ran (err 0)', () => {
    const ran = kernelRuns('bench_parse.bench_parse').filter((r) => r.err === 0).length;
    expect(cov.runs).toBe(ran);
    expect(c.entries).toBe(ran);
    expect(c.hits[0]).toBe(ran);
    expect(c.functions()[0]).toMatchObject({ name: 'bench_parse', hits: ran });
  });

  it('the UDP compare is taken once per UDP frame and not taken once per other IP frame (parsed from the bytes)', () => {
    const cmp = c.branches().filter((i) => code.imm[i] === 17 && code.op[i] !== Op.EXIT);
    expect(cmp).toHaveLength(1);
    expect(udp).toBeGreaterThan(0);
    expect(c.taken[cmp[0]]).toBe(udp);
    expect(c.notTaken[cmp[0]]).toBe(ip - udp);
    // ... and the kernel dropped exactly that many frames (no frame has ihl < 5).
    expect(kernelRuns('bench_parse.bench_parse').filter((r) => r.retval === 2).length).toBe(udp);
  });

  it('the `return l4 == IPPROTO_UDP ? ...` line runs once per IPv4/IPv6 frame', () => {
    const lines = [...c.lines().values()][0];
    const ret = [...lines.entries()].filter(([, l]) => l.text.includes('IPPROTO_UDP'));
    expect(ret).toHaveLength(1);
    expect(ret[0][1].hits).toBe(ip);
  });

  it('a line count is the count of its most executed instruction; every instruction of a line ran at most that often', () => {
    for (const lines of c.lines().values())
      for (const l of lines.values()) {
        expect(l.hits).toBe(Math.max(...l.insns.map((i) => c.hits[i])));
      }
    // Branch outcomes add up to the executions of each conditional jump.
    for (const i of c.branches()) expect(c.taken[i] + c.notTaken[i]).toBe(c.hits[i]);
  });

  it('LCOV parses; LF/LH, BRF/BRH, FNF/FNH agree with the DA, BRDA and FNDA lines; DA lines are the BTF lines', () => {
    const recs = parseLcov(formatLcov(cov, { testName: 'mixed' }));
    expect(recs).toHaveLength(1);
    const r = recs[0];
    expect(r.get('TN')).toEqual(['mixed']);
    expect(r.get('SF')![0]).toMatch(/bench_parse\.bpf\.c$/);
    const da = r.get('DA')!.map((v) => v.split(',').map(Number));
    expect(Number(r.get('LF')![0])).toBe(da.length);
    expect(Number(r.get('LH')![0])).toBe(da.filter(([, n]) => n > 0).length);
    const btfLines = new Set(coll.program('bench_parse').spec.lineInfo.map((l) => l.line));
    expect(new Set(da.map(([l]) => l))).toEqual(btfLines);
    for (const [, n] of da) expect(n).toBeLessThanOrEqual(cov.runs);
    const brda = r.get('BRDA')!.map((v) => v.split(','));
    expect(Number(r.get('BRF')![0])).toBe(brda.length);
    expect(Number(r.get('BRH')![0])).toBe(brda.filter((b) => b[3] !== '-' && Number(b[3]) > 0).length);
    expect(brda.length).toBe(2 * c.branches().length);
    const fnda = r.get('FNDA')!.map((v) => v.split(','));
    expect(Number(r.get('FNF')![0])).toBe(r.get('FN')!.length);
    expect(Number(r.get('FNH')![0])).toBe(fnda.filter(([n]) => Number(n) > 0).length);
    expect(totals(c).lines).toEqual([Number(r.get('LH')![0]), Number(r.get('LF')![0])]);
  });

  it('the summary and annotated source show the counts', () => {
    const sum = formatSummary(cov).join('\n');
    expect(sum).toContain(`program bench_parse (tcx/ingress): entered ${cov.runs} times`);
    const src = readFileSync('progs/bench_parse.bpf.c', 'utf8');
    const ann = formatAnnotated(cov, () => src);
    const retLine = src.split('\n').findIndex((l) => l.includes('IPPROTO_UDP')) + 1;
    expect(ann).toContain(`${String(ip).padStart(9)}:${String(retLine).padStart(5)}:${src.split('\n')[retLine - 1]}`);
    // Every source line is shown once, comments as "-".
    expect(ann.filter((l) => /^\s+(-|#####|\d+):\s*\d+:/.test(l)).length).toBe(src.replace(/\n$/, '').split('\n').length + 1);
  });
});

describe('[coverage]: lines never executed, tail calls, subprograms, cost', () => {
  it('ARP only: the IPv4 lines are ##### and the IP branches never executed', () => {
    const coll = load('bench_parse');
    const cov = new CoverageCollector(coll);
    const arp = mixedPackets().filter((p) => ((p.data[12] << 8) | p.data[13]) === 0x0806);
    expect(arp).toHaveLength(1);
    cov.run('bench_parse', arp[0].data);
    const src = readFileSync('progs/bench_parse.bpf.c', 'utf8').split('\n');
    const ann = formatAnnotated(cov, () => src.join('\n'));
    const ihl = src.findIndex((l) => l.includes('ip->ihl < 5')) + 1;
    expect(ann).toContain(`    #####:${String(ihl).padStart(5)}:${src[ihl - 1]}`);
    const lcov = formatLcov(cov);
    expect(lcov).toContain(`DA:${ihl},0`);
    expect(lcov).toMatch(new RegExp(`BRDA:${ihl},0,0,-`));
  });

  it('tail calls: each target gets its own counts; tail_udp is entered once per frame the kernel dropped', () => {
    const { cov } = coverMixed('tailcall', 'tail_dispatch');
    const kernel = kernelRuns('tailcall.tail_dispatch');
    expect(cov.program('tail_dispatch')!.entries).toBe(kernel.filter((r) => r.err === 0).length);
    expect(cov.program('tail_udp')!.entries).toBe(kernel.filter((r) => r.retval === 2).length);
    // The dispatcher's fall-through (empty slot) returns TCX_NEXT: its line after the call ran that often.
    const next = kernel.filter((r) => r.retval === 0xffffffff).length;
    const d = cov.program('tail_dispatch')!;
    const lines = [...d.lines().values()][0];
    const fall = [...lines.values()].find((l) => l.text.includes('cb[2] = slot'));
    expect(fall?.hits).toBe(next);
    expect(cov.program('tail_loop')).toBeUndefined(); // never ran, not included
    // LCOV: one record per file with all four programs' functions.
    const fns = formatLcov(cov).split('\n').filter((l) => l.startsWith('FN:')).map((l) => l.split(',')[1]);
    expect(new Set(fns)).toEqual(new Set(['tail_dispatch', 'tail_icmp', 'tail_tcp', 'tail_udp']));
  });

  it('subprograms: FNDA per function, lines in their own bodies', () => {
    const { coll, cov } = coverMixed('calls', 'calls_main');
    const c = cov.program('calls_main')!;
    const names = c.functions().map((f) => f.name);
    expect(names).toEqual(['calls_main', ...coll.program('calls_main').spec.subprograms.map((s) => s.name)]);
    const src = readFileSync('progs/calls.bpf.c', 'utf8').split('\n');
    for (const f of c.functions()) {
      // The FN line is the line of the function's definition (or its first statement) in the C file.
      const def = src.findIndex((l) => new RegExp(`\\b${f.name}\\(`).test(l) && !l.trim().endsWith(';')) + 1;
      expect(f.line!.line).toBeGreaterThanOrEqual(def - 1);
      expect(f.line!.line).toBeLessThan(def + 6);
    }
  });

  it('costs nothing when not enabled: plain runs leave counts alone and give the same results', () => {
    const coll = load('bench_parse');
    const cov = new CoverageCollector(coll);
    const frames = mixedPackets();
    const covered = frames.map((p) => cov.run('bench_parse', p.data));
    const snapshot = Array.from(cov.program('bench_parse')!.hits);
    const plain = frames.map((p) => coll.run('bench_parse', p.data));
    expect(Array.from(cov.program('bench_parse')!.hits)).toEqual(snapshot);
    expect(plain.map((r) => [r.retval, r.insns])).toEqual(covered.map((r) => [r.retval, r.insns]));
    // The hook sees every executed instruction exactly once.
    const total = snapshot.reduce((a, b) => a + b, 0);
    expect(total).toBe(covered.reduce((a, r) => a + (r.insns ?? 0), 0));
  });
});

describe('[coverage]: repeat', () => {
  it('each repeated execution starts again at the entry program, also after a tail call', () => {
    const coll = load('tailcall');
    const cov = new CoverageCollector(coll);
    const udp = mixedPackets().find((p) => parseL4(p.data).l3 === 'ip' && parseL4(p.data).l4 === 17)!;
    const r = cov.run('tail_dispatch', udp.data, { repeat: 3 });
    expect(r.retval).toBe(2);
    expect(cov.runs).toBe(3);
    expect(cov.program('tail_dispatch')!.entries).toBe(3);
    expect(cov.program('tail_udp')!.entries).toBe(3);
    expect(cov.program('tail_dispatch')!.hits[0]).toBe(3);
    expect(cov.program('tail_udp')!.hits[0]).toBe(3);
  });
});
