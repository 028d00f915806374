/**
 * The library (cilium-style) tcx API: Host, NetDevice, TcxHook. Expected values are the
 * kernel's: the assertions of the kernel selftests tc_opts.c / tc_links.c (checklist numbers in
 * docs/tcx-and-classic.md §8) and answers recorded with the oracle (test/goldens/tcx).
 */
import { describe, expect, it } from 'vitest';
import { ErrnoError, UsageError } from '../../vm/errors.js';
import { Host, MPROG_MAX_PROGS, type NetDevice, type ProgHandle } from '../../src/net/index.js';

function errnoOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ErrnoError) return e.errno;
    throw e;
  }
  return 'ok';
}

function setup(n = 4): { host: Host; lo: NetDevice; p: ProgHandle[] } {
  const host = new Host();
  const p = Array.from({ length: n }, (_, i) => host.loadProg({ name: `tc${i + 1}` }));
  return { host, lo: host.lo, p };
}

const ids = (dev: NetDevice, dir: 'ingress' | 'egress' = 'ingress') => dev.tcx(dir).query().programs.map((e) => e.prog);

describe('Host and devices', () => {
  it('numbers devices like a fresh netns: lo 1, veth peer first (oracle setup line)', () => {
    const host = new Host();
    expect(host.lo).toMatchObject({ name: 'lo', ifindex: 1, kind: 'loopback', mtu: 65536 });
    const [veth0, veth0p] = host.addVeth('veth0', 'veth0p');
    expect([veth0.ifindex, veth0p.ifindex]).toEqual([3, 2]);
    expect(veth0.peer).toBe(veth0p);
    expect(veth0p.peer).toBe(veth0);
    expect(veth0.mtu).toBe(1500);
    expect(veth0.mac).toHaveLength(6);
    expect(host.device('veth0')).toBe(veth0);
    expect(host.device(2)).toBe(veth0p);
  });

  it('never reuses an ifindex after a delete (tcx_dev_delete.txt: vethB gets 5)', () => {
    const host = new Host();
    const [veth0] = host.addVeth('veth0', 'veth0p');
    host.deleteDevice(veth0);
    expect(host.device('veth0p')).toBeUndefined();
    expect(veth0.registered).toBe(false);
    const [vethB, vethBp] = host.addVeth('vethB', 'vethBp');
    expect([vethB.ifindex, vethBp.ifindex]).toEqual([5, 4]);
    expect(host.devices().map((d) => d.name)).toEqual(['lo', 'vethBp', 'vethB']);
  });

  it('delete errors: lo EOPNOTSUPP, unknown ENODEV; create errors EEXIST/EINVAL (errno/devices.txt)', () => {
    const host = new Host();
    host.addVeth('veth0', 'veth0p');
    expect(errnoOf(() => host.deleteDevice('lo'))).toBe('EOPNOTSUPP');
    expect(errnoOf(() => host.deleteDevice(99))).toBe('ENODEV');
    expect(errnoOf(() => host.addVeth('lo', 'lop'))).toBe('EEXIST');
    expect(errnoOf(() => host.addVeth('q', 'veth0p'))).toBe('EEXIST');
    expect(errnoOf(() => host.addVeth('a:b', 'a:bp'))).toBe('EINVAL');
    // an invalid name with a valid peer burns the peer's ifindex (4), as the kernel does
    expect(errnoOf(() => host.addVeth('.', '.p'))).toBe('EINVAL');
    expect(host.addVeth('veth1', 'veth1p')[0].ifindex).toBe(6);
    expect(host.addDummy('dummy0').kind).toBe('dummy');
  });
});

describe('TcxHook attach/detach/query (tc_opts.c)', () => {
  it('an unused hook queries as count 0, revision 1 (checklist 1, 40)', () => {
    const { lo } = setup();
    expect(lo.tcx('ingress').query()).toEqual({ revision: 1, count: 0, attachFlags: 0, programs: [] });
    expect(lo.tcx('egress').entry).toBeNull();
  });

  it('before: by program and by id (checklist 3-5)', () => {
    const { lo, p } = setup();
    const h = lo.tcx('ingress');
    h.attach(p[0]);
    h.attach(p[1]);
    expect(h.query().revision).toBe(3);
    h.attach(p[2], { before: p[1] });
    expect(ids(lo)).toEqual([p[0], p[2], p[1]]);
    h.attach(p[3], { before: { id: p[0].id } });
    const q = h.query();
    expect(q.programs.map((e) => e.prog)).toEqual([p[3], p[0], p[2], p[1]]);
    expect(q.revision).toBe(5);
    expect(q.programs.every((e) => e.link === null && e.progFlags === 0 && e.linkFlags === 0)).toBe(true);
    for (const x of [p[3], p[2], p[1], p[0]]) h.detach(x);
    expect(h.query().count).toBe(0);
    expect(h.entry).toBeNull();
  });

  it('after, head, tail (checklist 6, 19, 20)', () => {
    const { lo, p } = setup();
    const h = lo.tcx('egress');
    h.attach(p[0]);
    h.attach(p[1], { head: true });
    h.attach(p[2], { tail: true });
    h.attach(p[3], { after: p[1] });
    expect(ids(lo, 'egress')).toEqual([p[1], p[3], p[0], p[2]]);
    expect(h.revision).toBe(5);
    expect(h.programs()).toEqual([p[1], p[3], p[0], p[2]]);
  });

  it('revision: stale attach and detach (checklist 8-9)', () => {
    const { lo, p } = setup();
    const h = lo.tcx('ingress');
    h.attach(p[0], { expectedRevision: 1 });
    expect(errnoOf(() => h.attach(p[1], { expectedRevision: 1 }))).toBe('ESTALE');
    h.attach(p[1], { expectedRevision: 2n });
    expect(errnoOf(() => h.detach(p[1], { expectedRevision: 2 }))).toBe('ESTALE');
    h.detach(p[1], { expectedRevision: 3 });
    expect(h.query()).toMatchObject({ count: 1, revision: 4 });
  });

  it('replace in place, with position assertions (checklist 12-16)', () => {
    const { lo, p } = setup();
    const h = lo.tcx('ingress');
    h.attach(p[0], { expectedRevision: 1 });
    h.attach(p[1], { before: { id: p[0].id }, expectedRevision: 2 });
    h.attach(p[2], { replace: p[1], expectedRevision: 3 });
    expect(ids(lo)).toEqual([p[2], p[0]]);
    h.attach(p[1], { replace: p[2], before: p[0], expectedRevision: 4 });
    expect(ids(lo)).toEqual([p[1], p[0]]);
    expect(errnoOf(() => h.attach(p[1], { replace: p[1] }))).toBe('EEXIST');
    expect(errnoOf(() => h.attach(p[2], { replace: p[1], after: p[0], expectedRevision: 5 }))).toBe('ERANGE');
    expect(errnoOf(() => h.attach(p[2], { replace: p[1], before: p[0], after: p[0] }))).toBe('ERANGE');
    h.detach(p[1], { before: { id: p[0].id }, expectedRevision: 5 });
    expect(h.query()).toMatchObject({ count: 1, revision: 6 });
  });

  it('invalid combinations on an empty hook (checklist 17)', () => {
    const { lo, p } = setup(2);
    const h = lo.tcx('ingress');
    expect(errnoOf(() => h.attach(p[0], { before: true, after: true }))).toBe('ERANGE');
    expect(errnoOf(() => h.attach(p[0], { before: { id: 0 } }))).toBe('ENOENT');
    expect(errnoOf(() => h.attach(p[0], { after: { id: 0 } }))).toBe('ENOENT');
    expect(errnoOf(() => h.attach(p[0], { before: p[1], after: p[1] }))).toBe('ENOENT');
    expect(errnoOf(() => h.attach(p[0], { before: p[0] }))).toBe('ENOENT');
    expect(errnoOf(() => h.attach(p[0], { after: p[0] }))).toBe('ENOENT');
    expect(errnoOf(() => h.attach(p[0], { flags: 0x20 }))).toBe('ENOENT'); // ID alone, id 0 (tcx_misc.txt)
    expect(errnoOf(() => h.attach(p[0], { flags: 0x2000 }))).toBe('EINVAL'); // LINK without fd
    expect(errnoOf(() => h.attach(p[0], { flags: 0x1 }))).toBe('EINVAL'); // outside the mask
    expect(h.query().count).toBe(0);
    expect(h.entry).toBeNull();
  });

  it('duplicates (checklist 18)', () => {
    const { lo, p } = setup(1);
    const h = lo.tcx('ingress');
    h.attach(p[0]);
    expect(errnoOf(() => h.attach(p[0]))).toBe('EEXIST');
    expect(errnoOf(() => h.attach(p[0], { before: p[0] }))).toBe('EEXIST');
    expect(errnoOf(() => h.attach(p[0], { replace: p[0] }))).toBe('EEXIST');
    // the same program may sit on the other direction
    lo.tcx('egress').attach(p[0]);
    expect(lo.tcx('egress').query().count).toBe(1);
  });

  it('detach by position, and the clamping quirk (checklist 26-30, tcx_detach.txt)', () => {
    const { lo, p } = setup();
    const h = lo.tcx('ingress');
    for (const x of p) h.attach(x);
    h.detach(null, { before: true });
    expect(ids(lo)).toEqual([p[1], p[2], p[3]]);
    h.detach(undefined, { after: true });
    expect(ids(lo)).toEqual([p[1], p[2]]);
    expect(errnoOf(() => h.detach(p[1], { before: p[1] }))).toBe('ERANGE');
    // nothing is before the first program, yet it goes: index -1 clamps to 0
    h.detach(null, { before: p[1] });
    expect(ids(lo)).toEqual([p[2]]);
    h.detach();
    expect(h.entry).toBeNull();
    expect(errnoOf(() => h.detach())).toBe('ENOENT');
  });

  it('a full hook: 63 programs, the 64th gets ERANGE whatever the flags (checklist 35)', () => {
    const host = new Host();
    const [dev] = host.addVeth('tcx_max', 'tcx_maxp');
    const h = dev.tcx('ingress');
    const progs = Array.from({ length: MPROG_MAX_PROGS + 1 }, () => host.loadProg());
    for (let i = 0; i < MPROG_MAX_PROGS; i++) h.attach(progs[i]);
    const extra = progs[MPROG_MAX_PROGS];
    expect(errnoOf(() => h.attach(extra))).toBe('ERANGE');
    expect(errnoOf(() => h.attach(extra, { head: true }))).toBe('ERANGE');
    expect(errnoOf(() => h.attach(extra, { before: progs[62] }))).toBe('ERANGE');
    expect(errnoOf(() => h.attach(extra, { after: progs[62] }))).toBe('ERANGE');
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', extra))).toBe('ERANGE');
    // replacing does not grow the list (tcx_full.txt)
    h.attach(extra, { replace: progs[62] });
    expect(h.query()).toMatchObject({ count: 63, revision: 65 });
  });

  it('mixed plain and link slots (checklist 22-25)', () => {
    const { host, lo, p } = setup();
    const h = lo.tcx('ingress');
    h.attach(p[0]);
    const l2 = host.linkCreate(lo, 'ingress', p[1]);
    expect(errnoOf(() => h.attach(p[1], { replace: p[0] }))).toBe('EEXIST');
    expect(errnoOf(() => h.attach(p[2], { replace: p[1] }))).toBe('EBUSY');
    h.attach(p[2], { replace: p[0] });
    const l4 = host.linkCreate(lo, 'ingress', p[3]);
    const q = h.query();
    expect(q.programs.map((e) => [e.prog, e.link])).toEqual([
      [p[2], null],
      [p[1], l2],
      [p[3], l4],
    ]);
    expect(q.revision).toBe(5);
    expect(errnoOf(() => h.detach(p[1]))).toBe('EBUSY');
    expect(errnoOf(() => h.detach(null, { after: true }))).toBe('EBUSY');
    h.detach(p[2]);
    l2.close();
    l4.close();
    expect(h.query().count).toBe(0);
  });

  it('anchors: link object, link id, program id; two different anchors are a usage error', () => {
    const { host, lo, p } = setup();
    const h = lo.tcx('ingress');
    const l1 = host.linkCreate(lo, 'ingress', p[0]);
    h.attach(p[1], { after: l1 });
    h.attach(p[2], { before: { linkId: l1.id } });
    h.attach(p[3], { after: { id: p[1].id } });
    expect(ids(lo)).toEqual([p[2], p[0], p[1], p[3]]);
    expect(() => h.detach(null, { before: p[0], after: p[1] })).toThrow(UsageError);
    // a link anchor only matches its own slot (tcx_misc.txt line 42)
    lo.tcx('egress').attach(p[0]);
    expect(errnoOf(() => lo.tcx('egress').attach(p[1], { before: l1 }))).toBe('ENOENT');
    expect(errnoOf(() => lo.tcx('egress').attach(p[1], { before: p[0] }))).toBe('ok');
  });

  it('program checks: released programs are closed fds (EBADF), other types EINVAL', () => {
    const { host, lo, p } = setup(2);
    const xdp = host.loadProg({ type: 'xdp' });
    expect(errnoOf(() => lo.tcx('ingress').attach(xdp))).toBe('EINVAL');
    expect(errnoOf(() => host.linkCreate(lo, 'ingress', xdp))).toBe('EINVAL');
    p[1].close();
    expect(p[1].alive).toBe(false);
    expect(errnoOf(() => lo.tcx('ingress').attach(p[1]))).toBe('EBADF');
    expect(errnoOf(() => lo.tcx('ingress').attach(p[0], { before: p[1] }))).toBe('EBADF');
    expect(errnoOf(() => lo.tcx('ingress').attach(p[0], { before: { id: p[1].id } }))).toBe('ENOENT');
  });

  it('the hook keeps a closed program alive until it is detached (tcx_links.txt)', () => {
    const { lo, p } = setup(1);
    const h = lo.tcx('ingress');
    h.attach(p[0]);
    p[0].close();
    expect(p[0].alive).toBe(true);
    expect(lo.host.kernel.progById(p[0].id)).toBe(p[0]);
    h.detach(null, { after: true });
    expect(p[0].alive).toBe(false);
    expect(lo.host.kernel.progById(p[0].id)).toBeUndefined();
  });

  it('device delete drops plain attachments and makes queries ENODEV (checklist 21)', () => {
    const host = new Host();
    const [dev] = host.addVeth('tcx_opts1', 'tcx_opts2');
    const p = host.loadProg();
    dev.tcx('ingress').attach(p);
    expect(p.refCount).toBe(2);
    host.deleteDevice(dev);
    expect(p.refCount).toBe(1);
    expect(errnoOf(() => dev.tcx('ingress').query())).toBe('ENODEV');
    expect(errnoOf(() => dev.tcx('ingress').attach(p))).toBe('ENODEV');
  });
});

describe('qdisc users keep the entry (miniqUse/miniqUnuse; checklist 11, 32, 34)', () => {
  it('a qdisc-held entry survives its last program and keeps counting', () => {
    const { lo, p } = setup(2);
    const h = lo.tcx('ingress');
    const e = h.miniqUse();
    expect(e.revision).toBe(1);
    expect(h.entry).toBe(e);
    h.attach(p[0]);
    h.attach(p[1]);
    h.detach(p[1]);
    h.detach(p[0]);
    expect(h.entry).toBe(e);
    expect(h.query()).toMatchObject({ count: 0, revision: 5 });
    // the entry exists but is empty: detach is ENOENT (tc_opts_delete_empty with clsact)
    expect(errnoOf(() => h.detach())).toBe('ENOENT');
    h.miniqUnuse();
    expect(h.entry).toBeNull();
    expect(h.query().revision).toBe(1);
  });

  it('the entry outlives the qdisc while programs remain; two users during a replace', () => {
    const { lo, p } = setup(1);
    const h = lo.tcx('egress');
    h.attach(p[0]);
    const e = h.miniqUse();
    h.miniqUse();
    expect(e.miniqActive).toBe(2);
    h.miniqUnuse();
    h.miniqUnuse();
    expect(h.entry).toBe(e);
    h.detach(p[0]);
    expect(h.entry).toBeNull();
  });
});

describe('device unregister with a qdisc user (docs/tcx-and-classic.md §1, tcx_uninstall)', () => {
  it('runs unregisterHooks first, then uninstalls: links defunct, plain programs dropped', () => {
    const { host, p } = setup(2);
    const [dev] = host.addVeth('veth0', 'veth0p');
    const l = host.linkCreate(dev, 'ingress', p[0]);
    dev.tcx('ingress').attach(p[1]);
    const seen: number[] = [];
    dev.unregisterHooks.push((d) => seen.push(d.tcx('ingress').query().count));
    host.deleteDevice(dev);
    expect(seen).toEqual([2]);
    expect(l.defunct).toBe(true);
    expect(p[1].refCount).toBe(1);
    expect(dev.tcxIngress).toBeNull();
  });

  it('an entry still used by a qdisc is emptied, not freed, and the revision does not move', () => {
    const { host, p } = setup(1);
    const [dev] = host.addVeth('veth0', 'veth0p');
    const h = dev.tcx('egress');
    const e = h.miniqUse();
    h.attach(p[0]);
    host.deleteDevice(dev);
    expect(dev.tcxEgress).toBe(e);
    expect(e.bundle.count).toBe(0);
    expect(e.revision).toBe(2);
    h.miniqUnuse();
    expect(dev.tcxEgress).toBeNull();
  });

  it('bad library input is a UsageError, not a TypeError', () => {
    const { host, lo, p } = setup(1);
    expect(() => lo.tcx('sideways' as 'ingress')).toThrow(UsageError);
    expect(() => host.linkCreate(lo, 'up' as 'ingress', p[0])).toThrow(UsageError);
    expect(() => lo.tcx('ingress').attach(p[0], { expectedRevision: 1.5 })).toThrow(UsageError);
    expect(() => lo.tcx('ingress').attach({} as ProgHandle)).toThrow(UsageError);
  });
});

describe('several namespaces on one kernel', () => {
  it('share program/link ids and bpffs, not devices', async () => {
    const { BpfKernel } = await import('../../src/net/index.js');
    const kernel = new BpfKernel();
    const a = new Host({ kernel });
    const b = new Host({ kernel });
    const [va] = a.addVeth('veth0', 'veth0p');
    const [vb] = b.addVeth('veth0', 'veth0p');
    expect([va.ifindex, vb.ifindex]).toEqual([3, 3]);
    const p = a.loadProg();
    const q = b.loadProg();
    expect(q.id).toBe(p.id + 1);
    const la = a.linkCreate(va, 'ingress', p);
    const lb = b.linkCreate(vb, 'ingress', p);
    expect(lb.id).toBe(la.id + 1);
    la.pin('/sys/fs/bpf/a');
    expect(errnoOf(() => lb.pin('/sys/fs/bpf/a'))).toBe('EEXIST');
    a.deleteDevice(va);
    expect(la.defunct).toBe(true);
    expect(lb.defunct).toBe(false);
    expect(errnoOf(() => b.deleteDevice(va))).toBe('ENODEV');
  });
});
