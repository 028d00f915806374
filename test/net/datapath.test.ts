/**
 * The per-packet path through the library API: hook order and trace content, tcx vs classic
 * verdict rules (spec §5; the same rules are measured end to end in scenario-goldens.test.ts),
 * redirects through two hooks, clone_redirect, the xmit recursion limit and tcxlab's loop stop.
 */
import { describe, expect, it } from 'vitest';
import { assembleProgram } from '../../vm/asm.js';
import { link } from '../../vm/link.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { MAX_RX_ROUNDS } from '../../src/net/datapath.js';
import type { NetProgram } from '../../src/net/prog-handle.js';
import { formatNetTrace, type HookEvent } from '../../src/net/trace.js';
import { BPF_F_INGRESS, TC_ACT } from '../../src/uapi.js';
import { lab } from './net-helpers.js';

const hooks = (t: { events: { kind: string }[] }): HookEvent[] => t.events.filter((e): e is HookEvent => e.kind === 'hook');

describe('tcx then classic on one hook', () => {
  it('runs tcx programs in order, then the chain-0 filters when tcx says NEXT', () => {
    const l = lab();
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    l.veth0.tcx('ingress').attach(l.obj.program('v1'), { before: l.obj.program('v0') });
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v2'), da: true });
    const t = l.host.receive(l.veth0, l.frame);
    const [h] = hooks(t);
    expect(h.tcx.map((r) => [r.prog, r.ret])).toEqual([
      ['v1', -1],
      ['v0', -1],
    ]);
    expect(h.tcxVerdict).toBe('next');
    expect(h.classic!.runs.map((r) => r.prog)).toEqual(['v2']);
    expect(t.fate).toMatchObject({ kind: 'stack', dev: 'veth0' });
  });

  it('TC_ACT_STOLEN ends the packet under classic tc but is NEXT under tcx (cilium#42315)', () => {
    const l = lab();
    l.ret(0, TC_ACT.TC_ACT_STOLEN);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    l.veth0.tcx('ingress').attach(l.obj.program('v1'));
    const t = l.host.receive(l.veth0, l.frame);
    expect(hooks(t)[0].tcx.map((r) => r.prog)).toEqual(['v0']); // the loop stops at the first ≠ -1
    expect(t.fate.kind).toBe('stack');
    l.veth0.tcx('ingress').detach(l.obj.program('v0'));
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prog: l.obj.program('v0'), da: true });
    expect(l.host.receive(l.veth0, l.frame).fate.kind).toBe('consumed');
  });

  it('TC_ACT_OK from a classic filter cuts off later filters; UNSPEC and PIPE (da) continue', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), da: true });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, prog: l.obj.program('v1'), da: true });
    for (const [v, runs] of [
      [TC_ACT.TC_ACT_OK, 1],
      [TC_ACT.TC_ACT_UNSPEC, 2],
      [TC_ACT.TC_ACT_PIPE, 2],
    ] as const) {
      l.ret(0, v);
      const t = l.host.receive(l.veth0, l.frame);
      expect(hooks(t)[0].classic!.runs.length, `ret ${v}`).toBe(runs);
    }
  });

  it('tcx PASS copies tc_classid into tc_index; classic OK takes the result classid minor', () => {
    const l = lab();
    l.classid(0, 0x1234);
    l.ret(0, 0);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    expect(l.host.receive(l.veth0, l.frame).fate.tcIndex).toBe(0x1234);
    l.veth0.tcx('ingress').detach(l.obj.program('v0'));
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prog: l.obj.program('v0'), da: true, classid: 0x50000 });
    expect(l.host.receive(l.veth0, l.frame).fate.tcIndex).toBe(0x1234);
  });

  it('a device without an entry skips tc; a qdisc without filters gives UNSPEC', () => {
    const l = lab();
    let t = l.host.receive(l.veth0, l.frame);
    expect(t.events).toEqual([]);
    l.veth0.tc.qdisc('ingress');
    t = l.host.receive(l.veth0, l.frame);
    expect(hooks(t)[0]).toMatchObject({ tcx: [], verdict: TC_ACT.TC_ACT_UNSPEC });
    expect(hooks(t)[0].classic).toBeUndefined();
  });
});

describe('redirects', () => {
  it('ingress → own egress → the peer: three hooks, in order', () => {
    const l = lab();
    l.redirect(0, 1, l.veth0.ifindex);
    l.ret(0, TC_ACT.TC_ACT_REDIRECT);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    l.veth0.tcx('egress').attach(l.obj.program('v6'));
    l.veth1.tcx('ingress').attach(l.obj.program('v5'));
    const t = l.host.receive(l.veth0, l.frame);
    expect(t.events.map((e) => (e.kind === 'hook' ? `${e.dev}/${e.dir}` : e.kind === 'redirect' ? `${e.how}->${e.to}/${e.dir}` : `xmit ${e.dev}`))).toEqual([
      'veth0/ingress',
      'redirect->veth0/egress',
      'veth0/egress',
      'xmit veth0',
      'veth1/ingress',
    ]);
    expect(t.fate).toMatchObject({ kind: 'stack', dev: 'veth1' });
    expect(formatNetTrace(t)).toContain('redirect veth0 -> veth0 egress');
  });

  it('BPF_F_INGRESS goes into the target receive path; a down target drops', () => {
    const l = lab();
    l.redirect(0, 1, l.veth1.ifindex, BPF_F_INGRESS);
    l.ret(0, TC_ACT.TC_ACT_REDIRECT);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    expect(l.host.receive(l.veth0, l.frame).fate).toMatchObject({ kind: 'stack', dev: 'veth1' });
    l.veth1.up = false;
    expect(l.host.receive(l.veth0, l.frame).fate).toMatchObject({ kind: 'drop', dev: 'veth1' });
  });

  it('egress → egress loops stop at the xmit recursion limit (10 runs, measured)', () => {
    const l = lab();
    l.redirect(6, 1, l.veth1.ifindex);
    l.ret(6, TC_ACT.TC_ACT_REDIRECT);
    l.veth1.tcx('egress').attach(l.obj.program('v6'));
    const t = l.host.send(l.veth1, l.frame, { dir: 'egress' });
    expect(t.fate.kind).toBe('drop');
    expect(l.hits()[6]).toBe(10);
  });

  it('an ingress ↔ ingress loop through the backlog is stopped by tcxlab (the kernel would spin)', () => {
    const l = lab();
    l.redirect(0, 1, l.veth0.ifindex, BPF_F_INGRESS);
    l.ret(0, TC_ACT.TC_ACT_REDIRECT);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    const t = l.host.receive(l.veth0, l.frame);
    expect(t.fate).toMatchObject({ kind: 'drop', reason: 'TCXLAB_LOOP_LIMIT' });
    expect(l.hits()[0]).toBe(MAX_RX_ROUNDS);
  });

  it('bpf_clone_redirect sends a clone now; the program verdict stands for the original', () => {
    const l = lab();
    // r2 = veth1 ifindex, r3 = 0 (egress): a clone leaves through veth1 and arrives on veth0
    const code = assembleProgram(`mov %r2, ${l.veth1.ifindex}\nmov %r3, 0\ncall 13\nmov %r0, 2\nexit`);
    const program: NetProgram = { linked: link(code, { name: 'cloner', helpers: buildHelperTable() }), mem: l.host.kernel.memory };
    const cloner = l.host.loadProg({ name: 'cloner', program });
    l.veth1.tcx('ingress').attach(cloner);
    l.veth0.tcx('ingress').attach(l.obj.program('v0'));
    const t = l.host.receive(l.veth1, l.frame);
    expect(t.fate).toMatchObject({ kind: 'drop', dev: 'veth1', reason: 'TC_INGRESS' });
    expect(t.fates.map((f) => [f.pkt, f.kind, f.dev])).toEqual([
      [0, 'drop', 'veth1'],
      [1, 'stack', 'veth0'],
    ]);
    expect(l.hits()[0]).toBe(1);
  });

  it('a program without an executable is reported as a fault in the trace', () => {
    const l = lab();
    const bare = l.host.loadProg({ name: 'bare' });
    l.veth0.tcx('ingress').attach(bare);
    const t = l.host.receive(l.veth0, l.frame);
    expect(hooks(t)[0].tcx[0].fault).toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/no executable/) });
  });

  it('send on a deleted device is ENODEV; a frame shorter than 14 bytes is EINVAL', () => {
    const l = lab();
    expect(() => l.host.send(l.veth0, new Uint8Array(10))).toThrow(/EINVAL/);
    l.host.deleteDevice(l.veth0);
    expect(() => l.host.send(l.veth0, l.frame)).toThrow(/ENODEV/);
  });
});

describe('namespaces', () => {
  it('moveDevice keeps a free ifindex, else allocates; lo cannot move; the qdisc goes, tcx stays', () => {
    const l = lab();
    const c1 = new (l.host.constructor as typeof import('../../src/net/host.js').Host)({ kernel: l.host.kernel });
    const d = c1.addDummy('d0'); // c1: lo 1, d0 2 — veth1 (2) must be renumbered
    expect(d.ifindex).toBe(2);
    l.veth1.tc.qdisc('clsact');
    l.veth1.tcx('ingress').attach(l.obj.program('v0'));
    l.veth1.up = true;
    l.host.moveDevice(l.veth1, c1);
    expect([l.veth1.host === c1, l.veth1.ifindex, l.veth1.up, l.veth1.tc.current]).toEqual([true, 3, false, null]);
    expect(l.veth1.tcx('ingress').programs().map((p) => p.name)).toEqual(['v0']);
    expect(l.host.device('veth1')).toBeUndefined();
    expect(() => l.host.moveDevice(l.host.lo, c1)).toThrow(/EINVAL/);
  });
});

describe('trace extras', () => {
  it('collects bpf_trace_printk output and shows it in the text trace', () => {
    const l = lab();
    const code = assembleProgram('stw [%r10-4], 0xa6968\nmov %r1, %r10\nadd %r1, -4\nmov %r2, 4\ncall 6\nmov %r0, -1\nexit');
    const program: NetProgram = { linked: link(code, { name: 'say', helpers: buildHelperTable() }), mem: l.host.kernel.memory };
    l.veth0.tcx('ingress').attach(l.host.loadProg({ name: 'say', program }));
    const t = l.host.receive(l.veth0, l.frame);
    expect(t.printk).toHaveLength(1);
    expect(t.printk![0]).toMatch(/^hi/);
    expect(formatNetTrace(t)).toMatch(/printk: hi/);
  });

  it('a down device receives nothing; egress SHOT reports NET_XMIT_DROP', () => {
    const l = lab();
    l.veth0.up = false;
    expect(l.host.receive(l.veth0, l.frame).fate).toMatchObject({ kind: 'drop', reason: 'DEV_READY' });
    l.ret(1, TC_ACT.TC_ACT_SHOT);
    l.veth1.tcx('egress').attach(l.obj.program('v1'));
    const t = l.host.send(l.veth1, l.frame, { dir: 'egress' });
    expect([t.fate.reason, t.xmitStatus]).toEqual(['TC_EGRESS', 1]);
  });
});
