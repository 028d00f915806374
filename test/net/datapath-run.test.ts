/**
 * Programs on a hook run through the run core testRun uses (src/tc-run.ts): bpf_timer callbacks
 * can be set and fire under host.send as in a test run, and a fault reaches the trace typed (the
 * run's VmFault with its code and instruction index).
 *
 * The timer expectations are the kernel's, from test/goldens/kfuncs/timer_0ns.out.json (recorded by
 * test/goldens/kfuncs/record.sh: three test runs of timer_0ns, then the map dump): the program
 * returns how often the callback has run before it, and a 0 ns timer has fired after every run.
 * The LD_ABS expectations are the kernel's test-run retvals of progs/ldabs.bpf.o ldabs_filter on
 * test/goldens/run/packets/mixed.txt (test/goldens/run/ldabs.ldabs_filter.json): a tcx program
 * returns the same r0 on the hook, since both paths read the packet through the same run core.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleProgram } from '../../vm/asm.js';
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { link } from '../../vm/link.js';
import { ENGINES, type Engine } from '../../vm/engine.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { Host } from '../../src/net/host.js';
import { formatNetTrace, type HookEvent, type NetTrace } from '../../src/net/trace.js';

const dir = new URL('../goldens/kfuncs/', import.meta.url);
const obj = new Uint8Array(readFileSync(new URL('kfuncs.bpf.o', dir)));
const kernel = JSON.parse(readFileSync(new URL('timer_0ns.out.json', dir), 'utf8')) as {
  runs: { retval_s32: number }[];
  maps: { timers: { entries: [string, string][] } };
};
const frame = Uint8Array.from(Buffer.from('000000000000ffffffffffff08004500001c0001000040117ccc7f0000017f000001', 'hex'));
const hooks = (t: NetTrace): HookEvent[] => t.events.filter((e): e is HookEvent => e.kind === 'hook');

function timerHost(engine: Engine): { host: Host; send: () => NetTrace; dump: () => unknown; clock: { monoNs: bigint } } {
  const host = new Host();
  const d = host.addDummy('d0');
  d.up = true;
  const o = host.loadObject(obj, { objectName: 'kfuncs', engine });
  d.tcx('ingress').attach(o.program('timer_0ns'));
  return { host, send: () => host.receive(d, frame), dump: () => o.collection.map('timers').dumpJson().entries, clock: o.collection.clock };
}

describe.each(ENGINES)('bpf_timer under host.send (%s)', (engine) => {
  it('init / set_callback / start work on a tcx hook; the 0 ns timer fires after each run, as in the kernel', () => {
    const { send, dump } = timerHost(engine);
    const traces = kernel.runs.map(() => send());
    expect(traces.map((t) => hooks(t)[0].tcx[0].fault)).toEqual(kernel.runs.map(() => undefined));
    expect(traces.map((t) => hooks(t)[0].tcx[0].ret)).toEqual(kernel.runs.map((r) => r.retval_s32));
    expect(traces.map((t) => (t.timers ?? []).map((f) => [f.map, f.key, f.r0, f.fault]))).toEqual(kernel.runs.map(() => [['timers', '00000000', 0n, undefined]]));
    expect(dump()).toEqual(kernel.maps.timers.entries);
  });
});

describe('the machine clock under host.send', () => {
  it('each program run takes virtualRunNs on the kernel memory clock; 0 stands still', () => {
    const { host, send, clock } = timerHost('interp');
    const t0 = clock.monoNs;
    send();
    expect(clock.monoNs - t0).toBe(1000n);
    host.receive('d0', frame, { virtualRunNs: 0 });
    expect(clock.monoNs - t0).toBe(1000n);
  });
});

describe('LD_ABS under host.send', () => {
  it('ldabs_filter returns on a tcx hook what the kernel test run returned for each frame', () => {
    const golden = JSON.parse(readFileSync(new URL('../goldens/run/ldabs.ldabs_filter.json', import.meta.url), 'utf8')) as { runs: { line: number; retval_s32?: number }[] };
    const lines = readFileSync(new URL('../goldens/run/packets/mixed.txt', import.meta.url), 'utf8').split('\n');
    const host = new Host();
    const d = host.addDummy('d0');
    d.up = true;
    d.tcx('ingress').attach(host.loadObject(readFileSync(new URL('../../progs/ldabs.bpf.o', import.meta.url)), { objectName: 'ldabs' }).program('ldabs_filter'));
    const runs = golden.runs.filter((r) => r.retval_s32 !== undefined && lines[r.line - 1].trim().length >= 28);
    expect(runs.length).toBeGreaterThan(20);
    expect(runs.some((r) => r.retval_s32 !== 0)).toBe(true);
    const ours = runs.map((r) => {
      const t = host.receive(d, Uint8Array.from(Buffer.from(lines[r.line - 1].trim(), 'hex')));
      const run = hooks(t)[0].tcx[0];
      return run.fault?.message ?? run.ret;
    });
    expect(ours).toEqual(runs.map((r) => r.retval_s32));
  });
});

describe('faults stay typed', () => {
  it('a program fault reaches the trace as the VmFault with its code and instruction index', () => {
    const host = new Host();
    const d = host.addDummy('d0');
    d.up = true;
    // insn 1 reads through a NULL pointer
    const code = assembleProgram('mov %r2, 0\nldxdw %r0, [%r2+0]\nexit');
    const prog = host.loadProg({ name: 'nullread', program: { linked: link(code, { name: 'nullread', helpers: buildHelperTable() }), mem: host.kernel.memory } });
    d.tcx('ingress').attach(prog);
    const t = host.receive(d, frame);
    const f = hooks(t)[0].tcx[0].fault;
    expect(f).toBeInstanceOf(VmFault);
    expect([(f as VmFault).code, (f as VmFault).insnIndex]).toEqual([ErrorCode.BadAccess, 1]);
    expect(formatNetTrace(t)).toContain(`fault: ${f!.message}`);
  });
});
