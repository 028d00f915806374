/**
 * tcx links through the library API. Expected values: kernel selftest tc_links.c assertions
 * (checklist §7 41-61) and the oracle's recorded answers (test/goldens/tcx/tcx_links.txt,
 * tcx_dev_delete.txt, errno/link_update.txt, ids/link_ids.txt).
 */
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { Host, type BpfLink } from '../../src/net/index.js';
import { BPF_LINK_TYPE } from '../../src/uapi.js';

function errnoOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ErrnoError) return e.errno;
    throw e;
  }
  return 'ok';
}

function setup(n = 4) {
  const host = new Host();
  const [dev] = host.addVeth('veth0', 'veth0p');
  const p = Array.from({ length: n }, (_, i) => host.loadProg({ name: `tc${i + 1}` }));
  return { host, dev, p };
}

describe('BpfLink', () => {
  it('create and info: type tcx, ifindex, attach type (checklist 41)', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    const l2 = host.linkCreate(dev, 'egress', p[1]);
    expect(l1.info()).toEqual({
      type: BPF_LINK_TYPE.BPF_LINK_TYPE_TCX,
      typeName: 'tcx',
      id: l1.id,
      progId: p[0].id,
      ifindex: 3,
      attachType: 46,
      direction: 'ingress',
    });
    expect(l2.info().attachType).toBe(47);
    expect(l1.id).not.toBe(l2.id);
    expect(dev.tcx('ingress').query()).toMatchObject({ revision: 2, count: 1 });
    expect(dev.tcx('ingress').query().programs[0].link).toBe(l1);
    expect(l1.fdinfo()).toBe(`link_type:\ttcx\nlink_id:\t${l1.id}\nprog_id:\t${p[0].id}\nifindex:\t3\nattach_type:\t46 (ingress)\n`);
    l1.close();
    l2.close();
    expect(dev.tcx('ingress').entry).toBeNull();
    expect(dev.tcx('egress').entry).toBeNull();
  });

  it('anchors and revision (checklist 42-45)', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0], { expectedRevision: 1 });
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[1], { expectedRevision: 1 }))).toBe('ESTALE');
    const l2 = host.linkCreate(dev, 'ingress', p[1], { expectedRevision: 2 });
    const l3 = host.linkCreate(dev, 'ingress', p[2], { before: p[1] });
    const l4 = host.linkCreate(dev, 'ingress', p[3], { before: { linkId: l1.id } });
    const q = dev.tcx('ingress').query();
    expect(q.programs.map((e) => e.link)).toEqual([l4, l1, l3, l2]);
    expect(q.revision).toBe(5);
  });

  it('a link cannot replace: REPLACE on create is ENOENT (checklist 48)', () => {
    const { host, dev, p } = setup();
    host.linkCreate(dev, 'ingress', p[0]);
    const l2 = host.linkCreate(dev, 'ingress', p[1], { before: { id: p[0].id } });
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[2], { replace: p[1] }))).toBe('ENOENT');
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[2], { flags: 0x4, after: l2 }))).toBe('ENOENT');
    expect(dev.tcx('ingress').query().count).toBe(2);
  });

  it('update swaps in place; updating to itself keeps the revision (checklist 49-50)', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    const l2 = host.linkCreate(dev, 'ingress', p[1], { before: p[0] });
    l2.update(p[2]);
    let q = dev.tcx('ingress').query();
    expect(q.programs.map((e) => [e.prog, e.link])).toEqual([
      [p[2], l2],
      [p[0], l1],
    ]);
    expect(q.revision).toBe(4);
    expect(l2.info().progId).toBe(p[2].id);
    l2.detach();
    l1.update(p[0]);
    q = dev.tcx('ingress').query();
    expect(q).toMatchObject({ revision: 5, count: 1 });
  });

  it('update errors: EPERM for a wrong old, EEXIST, EINVAL for another type (errno/link_update.txt)', () => {
    const { host, dev, p } = setup();
    const xdp = host.loadProg({ type: 'xdp' });
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    dev.tcx('ingress').attach(p[1]);
    expect(errnoOf(() => l1.update(p[2], { old: p[3] }))).toBe('EPERM');
    expect(errnoOf(() => l1.update(p[0], { old: p[3] }))).toBe('EPERM');
    expect(errnoOf(() => l1.update(p[1]))).toBe('EEXIST');
    expect(errnoOf(() => l1.update(xdp))).toBe('EINVAL');
    l1.update(p[2], { old: p[0] });
    expect(dev.tcx('ingress').query().revision).toBe(4);
  });

  it('references: the link holds its program; the old one is let go on update', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    p[0].close();
    expect(p[0].alive).toBe(true);
    l1.update(p[1]);
    expect(p[0].alive).toBe(false);
    expect(p[1].refCount).toBe(2);
    l1.close();
    expect(p[1].refCount).toBe(1);
    expect(l1.alive).toBe(false);
    expect(host.kernel.linkById(l1.id)).toBeUndefined();
  });

  it('detach leaves a defunct link: ifindex 0, ENOLINK on update, detach again is fine (tcx_links.txt)', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    dev.tcx('ingress').attach(p[1]);
    l1.detach();
    expect(l1.defunct).toBe(true);
    expect(l1.info()).toMatchObject({ ifindex: 0, attachType: 46, progId: p[0].id });
    expect(errnoOf(() => l1.update(p[2]))).toBe('ENOLINK');
    expect(errnoOf(() => l1.update(p[0]))).toBe('ENOLINK');
    l1.detach();
    expect(dev.tcx('ingress').query()).toMatchObject({ revision: 4, count: 1 });
    l1.close();
    expect(dev.tcx('ingress').query().revision).toBe(4);
  });

  it('a pin keeps the link attached after close; unpin releases it (tcx_links.txt)', () => {
    const { host, dev, p } = setup();
    const l3 = host.linkCreate(dev, 'ingress', p[2]);
    l3.pin('/sys/fs/bpf/l3');
    expect(errnoOf(() => l3.pin('/sys/fs/bpf/l3'))).toBe('EEXIST');
    expect(errnoOf(() => l3.pin('/tmp/l3'))).toBe('EPERM');
    l3.close();
    expect(l3.alive).toBe(true);
    expect(dev.tcx('ingress').query().count).toBe(1);
    expect(host.kernel.pinned('/sys/fs/bpf/l3')).toBe(l3);
    l3.unpin('/sys/fs/bpf/l3');
    expect(l3.alive).toBe(false);
    expect(dev.tcx('ingress').query()).toMatchObject({ count: 0, revision: 1 });
    expect(errnoOf(() => l3.unpin('/sys/fs/bpf/l3'))).toBe('ENOENT');
    expect(errnoOf(() => l3.info())).toBe('EBADF');
  });

  it('device delete: links go defunct with ifindex 0, closing stays harmless (checklist 56, 61)', () => {
    const { host, dev, p } = setup();
    const links: BpfLink[] = [
      host.linkCreate(dev, 'ingress', p[0]),
      host.linkCreate(dev, 'ingress', p[1]),
      host.linkCreate(dev, 'egress', p[2]),
      host.linkCreate(dev, 'egress', p[3]),
    ];
    host.deleteDevice(dev.peer!);
    for (const l of links) {
      expect(l.defunct).toBe(true);
      expect(l.info().ifindex).toBe(0);
    }
    expect(errnoOf(() => links[1].update(p[0]))).toBe('ENOLINK');
    expect(errnoOf(() => links[0].detach())).toBe('ok');
    for (const l of links) l.close();
    // the programs are only held by their creators now
    expect(p.map((x) => x.refCount)).toEqual([1, 1, 1, 1]);
  });

  it('a failed create burns a link id unless it failed before the link existed (ids/link_ids.txt)', () => {
    const { host, dev, p } = setup();
    const l1 = host.linkCreate(dev, 'ingress', p[0]);
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[0]))).toBe('EEXIST');
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[1], { expectedRevision: 9 }))).toBe('ESTALE');
    host.deleteDevice(host.device('veth0')!);
    const [dev2] = host.addVeth('vethB', 'vethBp');
    expect(errnoOf(() => host.linkCreate(dev, 'ingress', p[1]))).toBe('ENODEV');
    const l2 = host.linkCreate(dev2, 'ingress', p[1]);
    expect(l2.id - l1.id).toBe(3);
  });
});
