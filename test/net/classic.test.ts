/**
 * The classic path: clsact/ingress qdiscs, cls_bpf filters and tcf_classify.
 *
 * Expectations come from the kernel sources as summarised in docs/tcx-and-classic.md §7
 * (cls_api.c __tcf_classify, cls_bpf.c cls_bpf_classify, act_api.c tcf_action_exec). The gact
 * action module is not built into this machine's kernel (`tc ... action` fails with "Failed to
 * load TC action module"), so actions, goto chain and reclassify could not be measured; the
 * parts that could (da verdicts, non-da classids, ordering, errnos) are in the kernel-recorded
 * scenarios (scenario-goldens.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { TC_ACT } from '../../src/uapi.js';
import { lab } from './net-helpers.js';

describe('tcf_classify', () => {
  it('non-da filter with actions: pipe continues, drop ends with SHOT', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), classid: 0x10010, actions: [{ verdict: TC_ACT.TC_ACT_PIPE }, { verdict: TC_ACT.TC_ACT_SHOT }] });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, prog: l.obj.program('v1'), da: true });
    const t = l.host.receive(l.veth0, l.frame);
    expect(t.fate.kind).toBe('drop');
    expect(t.fate.reason).toBe('TC_INGRESS');
    expect(l.hits().slice(0, 2)).toEqual([1, 0]);
  });

  it('non-da: an UNSPEC action result continues with the next filter; no actions means OK', () => {
    const l = lab();
    l.veth0.tc.qdisc('ingress');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), classid: 0x10010, actions: [{ verdict: TC_ACT.TC_ACT_UNSPEC }] });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, prog: l.obj.program('v1'), classid: 0x10020 });
    l.veth0.tc.filter({ dir: 'ingress', prio: 3, prog: l.obj.program('v2'), da: true });
    const t = l.host.receive(l.veth0, l.frame);
    const hook = t.events.find((e) => e.kind === 'hook')!;
    expect(hook.kind === 'hook' && hook.classic?.verdict).toBe(TC_ACT.TC_ACT_OK);
    expect(t.fate).toMatchObject({ kind: 'stack', tcIndex: 0x20 });
    expect(l.hits().slice(0, 3)).toEqual([1, 1, 0]);
  });

  it('goto chain restarts at the first filter of that chain; a goto into an empty chain gives UNSPEC', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), actions: [{ gotoChain: 5 }] });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, prog: l.obj.program('v1'), da: true });
    l.veth0.tc.filter({ dir: 'ingress', chain: 5, prio: 7, prog: l.obj.program('v2'), da: true });
    l.ret(2, TC_ACT.TC_ACT_SHOT);
    let t = l.host.receive(l.veth0, l.frame);
    expect(t.fate.kind).toBe('drop');
    expect(l.hits().slice(0, 3)).toEqual([1, 0, 1]);
    l.veth0.tc.delFilter('ingress', { chain: 5, prio: 7 });
    t = l.host.receive(l.veth0, l.frame);
    expect(t.fate.kind).toBe('stack');
    expect(l.hits().slice(0, 3)).toEqual([2, 0, 1]);
  });

  it('reclassify restarts chain 0; the 17th restart is SHOT with TC_RECLASSIFY_LOOP', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), actions: [{ verdict: TC_ACT.TC_ACT_RECLASSIFY }] });
    const t = l.host.receive(l.veth0, l.frame);
    expect(t.fate).toMatchObject({ kind: 'drop', reason: 'TC_RECLASSIFY_LOOP' });
    // max_reclassify_loop = 16: passes 1 + 16 restarts, the 17th reset gives up
    expect(l.hits()[0]).toBe(17);
  });

  it('a da filter never runs its actions; RECLASSIFY/PIPE/QUEUED/REPEAT returned in da mode are UNSPEC', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), da: true, actions: [{ verdict: TC_ACT.TC_ACT_SHOT }] });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, prog: l.obj.program('v1'), da: true });
    for (const v of [1, 3, 5, 6, TC_ACT.TC_ACT_UNSPEC, 0x20000003]) {
      l.ret(0, v);
      const t = l.host.receive(l.veth0, l.frame);
      expect(t.fate.kind, `ret ${v}`).toBe('stack');
    }
    expect(l.hits().slice(0, 2)).toEqual([6, 6]);
  });

  it('REPEAT as an action gives OK; JUMP n restarts the list and continues at action n', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), actions: [{ verdict: TC_ACT.TC_ACT_REPEAT }, { verdict: TC_ACT.TC_ACT_SHOT }] });
    expect(l.host.receive(l.veth0, l.frame).fate.kind).toBe('stack');
    // tcf_action_exec counts the skip from the start of the list: jump 1 lands on action 1
    const acts = (n: number) => [{ jump: n }, { verdict: TC_ACT.TC_ACT_OK }, { verdict: TC_ACT.TC_ACT_STOLEN }];
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 1, replace: true, prog: l.obj.program('v0'), actions: acts(1) });
    expect(l.host.receive(l.veth0, l.frame).fate.kind).toBe('stack');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 1, replace: true, prog: l.obj.program('v0'), actions: acts(2) });
    expect(l.host.receive(l.veth0, l.frame).fate.kind).toBe('consumed');
    // jump past the end: a faulty opcode stops the pipeline with OK
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 1, replace: true, prog: l.obj.program('v0'), actions: acts(4) });
    expect(l.host.receive(l.veth0, l.frame).fate.kind).toBe('stack');
  });

  it('an instance with another protocol is skipped', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, protocol: 0x86dd, prog: l.obj.program('v0'), da: true });
    l.veth0.tc.filter({ dir: 'ingress', prio: 2, protocol: 0x0800, prog: l.obj.program('v1'), da: true });
    l.host.receive(l.veth0, l.frame);
    expect(l.hits().slice(0, 2)).toEqual([0, 1]);
  });
});

describe('qdisc lifecycle and the tcx entry', () => {
  it('clsact keeps the tcx entry (and its revision) alive; deleting it frees the entry', () => {
    const l = lab();
    const ing = l.veth0.tcx('ingress');
    l.veth0.tc.qdisc('clsact');
    expect(ing.entry).not.toBeNull();
    ing.attach(l.obj.program('v0'));
    ing.detach(l.obj.program('v0'));
    expect(ing.revision).toBe(3);
    expect(l.veth0.tcxEntry('egress')).not.toBeNull();
    l.veth0.tc.delQdisc('clsact');
    expect(ing.entry).toBeNull();
    expect(l.veth0.tcxEntry('egress')).toBeNull();
    expect(ing.revision).toBe(1);
  });

  it('the ingress qdisc serves ingress only: an "egress" filter lands in its ingress block (measured)', () => {
    const l = lab();
    l.veth0.tc.qdisc('ingress');
    expect(l.veth0.tcxEntry('egress')).toBeNull();
    l.veth0.tc.filter({ dir: 'egress', prog: l.obj.program('v0'), da: true });
    l.host.send(l.veth0, l.frame, { dir: 'egress' });
    expect(l.hits()[0]).toBe(0);
    l.host.receive(l.veth0, l.frame);
    expect(l.hits()[0]).toBe(1);
    l.veth0.tc.delQdisc('ingress');
    l.veth0.tc.qdisc('clsact');
    expect(() => l.veth0.tc.filter({ dir: 'ingress', parentMinor: 0, prog: l.obj.program('v0'), da: true })).toThrow(/EINVAL/);
  });

  it('filters hold program references; the qdisc delete and device delete drop them', () => {
    const l = lab();
    const p = l.obj.program('v0');
    const before = p.refCount;
    l.veth0.tc.qdisc('clsact');
    l.veth0.tc.filter({ dir: 'ingress', prog: p, da: true });
    l.veth0.tc.filter({ dir: 'egress', prog: p, da: true });
    expect(p.refCount).toBe(before + 2);
    l.host.deleteDevice(l.veth0);
    expect(p.refCount).toBe(before);
    expect(l.veth0.tc.current).toBeNull();
  });

  it('the miniq is set only while chain 0 has filters', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    expect(l.veth0.tcxEntry('ingress')!.miniq).toBeNull();
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: l.obj.program('v0'), da: true });
    expect(l.veth0.tcxEntry('ingress')!.miniq).not.toBeNull();
    l.veth0.tc.delFilter('ingress', { prio: 1 });
    expect(l.veth0.tcxEntry('ingress')!.miniq).toBeNull();
  });
});

describe('cls_bpf filter management (errnos measured in tc-errors.net)', () => {
  it('handles: 0 allocates the lowest free one; replace keeps the list position; add over a handle is EEXIST', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    const p = (i: number) => l.obj.program(`v${i}`);
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 2, prog: p(0), da: true });
    const a = l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: p(1), da: true });
    const b = l.veth0.tc.filter({ dir: 'ingress', prio: 1, prog: p(2), da: true });
    expect([a.handle, b.handle]).toEqual([1, 3]);
    expect(() => l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 2, prog: p(3), da: true })).toThrow(/EEXIST/);
    l.veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 2, prog: p(3), da: true, replace: true });
    // newest first: 3 (v2), 1 (v1), 2 (replaced in place: v3)
    expect(l.veth0.tc.filters('ingress').map((r) => [r.filter.handle, r.filter.prog.name])).toEqual([
      [3, 'v2'],
      [1, 'v1'],
      [2, 'v3'],
    ]);
    expect(() => l.veth0.tc.filter({ dir: 'ingress', prio: 1, protocol: 0x0800, prog: p(4), da: true })).toThrow(/EINVAL/);
    expect(() => l.veth0.tc.filter({ dir: 'ingress', chain: 1 << 28, prog: p(4), da: true })).toThrow(/EINVAL/);
    expect(() => l.veth0.tc.filter({ dir: 'ingress', prog: p(4), da: true, skipSw: true })).toThrow(/EOPNOTSUPP/);
    expect(() => l.veth0.tc.delFilter('ingress', { prio: 1, handle: 9 })).toThrow(/ENOENT/);
    expect(() => l.veth0.tc.delFilter('ingress', { prio: 7 })).toThrow(/ENOENT/);
    expect(() => l.veth0.tc.delFilter('ingress', { chain: 5, prio: 1 })).toThrow(/ENOENT/);
    l.veth0.tc.delFilter('ingress', { chain: 5 }); // flushing a missing chain is fine
    l.veth0.tc.delFilter('ingress', { prio: 1, handle: 3 });
    expect(l.veth0.tc.filters('ingress')).toHaveLength(2);
  });

  it('auto prio: 0xc000 on an empty chain, then one below the first at or above 0x8000', () => {
    const l = lab();
    l.veth0.tc.qdisc('clsact');
    const prios = [0, 0, 5, 0].map((prio, i) => {
      l.veth0.tc.filter({ dir: 'egress', prio, prog: l.obj.program(`v${i}`), da: true });
      return l.veth0.tc.filters('egress').map((r) => r.prio);
    });
    expect(prios.at(-1)).toEqual([5, 0xbffe, 0xbfff, 0xc000]);
  });

  it('qdisc errnos: add twice EEXIST, replace by the other kind EINVAL, delete without one ENOENT then EINVAL', () => {
    const l = lab();
    expect(() => l.veth0.tc.delQdisc('clsact')).toThrow(/ENOENT/);
    l.veth0.tc.qdisc('clsact');
    expect(() => l.veth0.tc.qdisc('clsact')).toThrow(/EEXIST/);
    expect(() => l.veth0.tc.qdisc('ingress', { replace: true })).toThrow(/EINVAL/);
    expect(() => l.veth0.tc.delQdisc('ingress')).toThrow(/EINVAL/);
    l.veth0.tc.delQdisc('clsact');
    expect(() => l.veth0.tc.delQdisc('clsact')).toThrow(/EINVAL/);
  });
});
