/**
 * bpf_timer expiry inside a test run, against the kernel (test/goldens/kfuncs/timer_*.out.json,
 * recorded by record.sh): each timer_<delay> program re-arms its element's timer with <delay> and
 * returns how often the callback has run so far; the oracle dumps the map after the runs. The
 * kernel's softirq runs a due timer right after the program run that armed it (0 ns, 1 ns, 1 µs:
 * always, in 3 separate runs and in 2, 100 and 10,000 repetitions on one skb), while 100 µs and
 * longer timers are re-armed before they expire. tcxlab gives each program run a virtual 1 µs
 * (TEST_RUN_VIRTUAL_NS) and fires what is due after it. The recordings that depend on the wall
 * clock (10 µs at any count; 100 µs and 1 ms over 10,000 repetitions, where the kernel's loop was
 * sometimes preempted) are not compared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { ENGINES } from '../../vm/engine.js';

const dir = new URL('../goldens/kfuncs/', import.meta.url);
const obj = new Uint8Array(readFileSync(new URL('kfuncs.bpf.o', dir)));
const json = (n: string): any => JSON.parse(readFileSync(new URL(n, dir), 'utf8'));
const frames = readFileSync(new URL('timer-packets.txt', dir), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => Uint8Array.from(Buffer.from(l.trim(), 'hex')));

const cases: [prog: string, suffix: string, repeat: number][] = [];
for (const p of ['timer_0ns', 'timer_1ns', 'timer_1us', 'timer_100us', 'timer_1ms', 'timer_1s']) {
  cases.push([p, '', 0], [p, '.repeat2', 2], [p, '.repeat100', 100]);
  if (['timer_0ns', 'timer_1ns', 'timer_1us', 'timer_1s'].includes(p)) cases.push([p, '.repeat10000', 10000]);
}

describe.each(ENGINES)('timers fire within a test run as in the kernel (%s)', (engine) => {
  // 10,000 runs with as many callbacks: once, on the faster engine (a test must stay near 1 s).
  it.each(cases.filter((x) => engine === 'jit' || x[2] !== 10000))('%s%s: retvals and the map dumped after the runs', (prog, suffix, repeat) => {
    const k = json(`${prog}${suffix}.out.json`);
    const c = Collection.load(obj, { objectName: 'kfuncs', engine });
    const runs = repeat ? [c.run(prog, frames[0], { repeat })] : frames.map((f) => c.run(prog, f));
    expect(runs.map((r) => r.fault?.message)).toEqual(runs.map(() => undefined));
    expect(runs.map((r) => r.retval)).toEqual(k.runs.map((r: any) => r.retval));
    expect(c.map('timers').dumpJson().entries).toEqual(k.maps.timers.entries);
  });
});

describe('virtual run duration', () => {
  const v10 = (c: Collection): bigint => Buffer.from(c.map('timers').lookup(Uint8Array.from([3, 0, 0, 0])) as Uint8Array).readBigUInt64LE(16);
  it('a 10 µs timer fires after a run only when the run is given 10 µs; the firing is reported', () => {
    const c = Collection.load(obj, { objectName: 'kfuncs' });
    expect(c.run('timer_10us', frames[0]).timers).toEqual([]);
    expect(v10(c)).toBe(0n);
    const t0 = c.clock.monoNs;
    const r = c.run('timer_10us', frames[0], { virtualRunNs: 10_000 });
    expect((r.timers ?? []).map((f) => [f.map, f.key, f.atNs - t0, f.r0])).toEqual([['timers', '03000000', 10_000n, 0n]]);
    expect(v10(c)).toBe(1n);
    expect(c.clock.monoNs - t0).toBe(10_000n);
  });
  it('virtualRunNs 0: time stands still and only timers already due fire', () => {
    const c = Collection.load(obj, { objectName: 'kfuncs' });
    const t0 = c.clock.monoNs;
    expect(c.run('timer_1ns', frames[0], { virtualRunNs: 0 }).timers).toEqual([]);
    expect(c.run('timer_0ns', frames[0], { virtualRunNs: 0 }).timers?.map((f) => f.key)).toEqual(['00000000']);
    expect(c.clock.monoNs).toBe(t0);
    expect(c.advanceClock(1).map((f) => f.key)).toEqual(['01000000']);
  });
});
