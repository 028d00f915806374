/**
 * The raw bpf(2) layer (BpfProcess) against test/goldens/tcx/raw/probe.out.json, recorded from
 * the real kernel by raw/probe.c: query flags, NULL query buffers, non-tcx attach types, link
 * and program fd confusion. The same calls, in the same order, on the same fd numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { BpfProcess, Host, type MprogQuery } from '../../src/net/index.js';

const golden = readFileSync(join(import.meta.dirname, '../goldens/tcx/raw/probe.out.json'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { case: string; result: string; count?: number; revision?: number });

function res(f: () => unknown): { result: string; q?: MprogQuery } {
  try {
    const r = f();
    const q = r && typeof r === 'object' && 'revision' in r ? (r as MprogQuery) : undefined;
    return { result: q?.error ?? 'ok', q };
  } catch (e) {
    if (e instanceof ErrnoError) return { result: e.errno };
    throw e;
  }
}

describe('raw bpf(2) layer vs the kernel (raw/probe.c)', () => {
  it('replays every probe case with the kernel result', () => {
    const host = new Host();
    const proc = new BpfProcess(host);
    for (let i = 0; i < 4; i++) expect(proc.progLoad({ type: 'sched_cls' })).toBe(3 + i);
    expect(proc.progLoad({ type: 'xdp' })).toBe(7);
    const q = (ifindex: number, type: number, qf: number, af: number, ids: boolean, cap: number) => () =>
      proc.progQuery({ target_ifindex: ifindex, attach_type: type, query_flags: qf, attach_flags: af, prog_ids: ids, count: cap });
    const att = (cmd: 'progAttach' | 'progDetach', ifindex: number, fd: number, type: number) => () =>
      proc[cmd]({ target_ifindex: ifindex, attach_bpf_fd: fd, attach_type: type, attach_flags: 0 });
    const lnk = (prog: number, ifindex: number, type: number) => () =>
      proc.linkCreate({ prog_fd: prog, target_ifindex: ifindex, attach_type: type, flags: 0 });
    let lfd = -1;
    const upd = (link: () => number, nprog: number | (() => number), flags = 0, oprog = 0) => () =>
      proc.linkUpdate({ link_fd: link(), new_prog_fd: typeof nprog === 'number' ? nprog : nprog(), flags, old_prog_fd: oprog });
    const steps: Array<[string, () => unknown]> = [
      ['query_flags_effective', q(1, 46, 1, 0, true, 8)],
      ['query_flags_2', q(1, 46, 2, 0, true, 8)],
      ['query_attach_flags_in', q(1, 46, 0, 1, true, 8)],
      ['query_attach_type_1000', q(1, 1000, 0, 0, true, 8)],
      ['query_netkit_primary_lo', q(1, 54, 0, 0, true, 8)],
      ['query_ifindex_0', q(0, 46, 0, 0, true, 8)],
      ['attach_p', att('progAttach', 1, 3, 46)],
      ['attach_p', att('progAttach', 1, 4, 46)],
      ['attach_p', att('progAttach', 1, 5, 46)],
      ['attach_p', att('progAttach', 1, 6, 46)],
      ['query_null_ids', q(1, 46, 0, 0, false, 8)],
      ['query_cap_0', q(1, 46, 0, 0, true, 0)],
      ['query_cap_2', q(1, 46, 0, 0, true, 2)],
      ['attach_type_1000', att('progAttach', 1, 3, 1000)],
      ['attach_type_xdp_with_xdp_prog', att('progAttach', 1, 7, 37)],
      ['attach_netkit_primary_lo', att('progAttach', 1, 3, 54)],
      ['attach_netkit_peer_ifindex_99', att('progAttach', 99, 3, 55)],
      ['attach_netkit_xdp_prog', att('progAttach', 1, 7, 54)],
      ['detach_type_1000', att('progDetach', 1, 3, 1000)],
      ['detach_netkit_primary_lo', att('progDetach', 1, 0, 54)],
      ['link_netkit_primary_lo', lnk(3, 1, 54)],
      ['link_xdp_prog_tcx', lnk(7, 1, 46)],
      ['link_sched_cls_type_xdp', lnk(3, 1, 37)],
      ['link_sched_cls_type_1000', lnk(3, 1, 1000)],
      ['link_bad_prog_fd', lnk(99, 1, 46)],
      ['link_prog_fd_0', lnk(0, 1, 46)],
      ['detach_all_1', att('progDetach', 1, 0, 46)],
      ['link_p4_egress', () => (lfd = lnk(6, 1, 47)())],
      ['link_update_on_prog_fd', upd(() => 3, 4)],
      ['link_update_fd_99', upd(() => 99, 4)],
      ['link_update_new_fd_99', upd(() => lfd, 99)],
      ['link_update_new_is_link', upd(() => lfd, () => lfd)],
      ['link_update_old_fd_99', upd(() => lfd, 4, 4, 99)],
      ['link_update_old_without_replace', upd(() => lfd, 4, 0, 6)],
      ['link_update_flags_after', upd(() => lfd, 4, 0x10, 6)],
      ['link_detach_prog_fd', () => proc.linkDetach(3)],
      ['link_detach_fd_99', () => proc.linkDetach(99)],
      ['link_detach', () => proc.linkDetach(lfd)],
      ['query_egress_after', q(1, 47, 0, 0, true, 8)],
    ];
    expect(steps.map((s) => s[0])).toEqual(golden.map((g) => g.case));
    steps.forEach(([name, f], i) => {
      const r = res(f);
      const want = golden[i];
      const got: Record<string, unknown> = { case: name, result: r.result };
      if (r.q) {
        got.count = r.q.count;
        got.revision = r.q.revision;
      }
      expect(got).toEqual(want);
    });
  });

  it('query with a NULL id buffer writes nothing, a short buffer fills what fits (checklist 38)', () => {
    const host = new Host();
    const proc = new BpfProcess(host);
    const fds = [0, 1, 2, 3].map(() => proc.progLoad());
    for (const fd of fds) proc.progAttach({ target_ifindex: 1, attach_bpf_fd: fd, attach_type: 46, attach_flags: 0 });
    const nul = proc.progQuery({ target_ifindex: 1, attach_type: 46, count: 8, prog_ids: false });
    expect(nul.progIds).toEqual([]);
    const two = proc.progQuery({ target_ifindex: 1, attach_type: 46, count: 2 });
    expect(two).toMatchObject({ error: 'ENOSPC', count: 4, revision: 5 });
    expect(two.progIds).toEqual(fds.slice(0, 2).map((fd) => proc.progInfo(fd).id));
    expect(two.linkIds).toEqual([0, 0]);
  });

  it('close: EBADF twice; program fds are reused lowest-first', () => {
    const proc = new BpfProcess(new Host(), { openFiles: [] });
    expect(proc.progLoad()).toBe(0);
    expect(proc.progLoad()).toBe(1);
    proc.close(0);
    expect(() => proc.close(0)).toThrow(ErrnoError);
    expect(proc.progLoad()).toBe(0);
  });
});
