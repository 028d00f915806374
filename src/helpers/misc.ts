/**
 * @fileoverview The remaining base and socket helpers a tc program may call whose effect offline is
 * well defined (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c):
 *
 *   get_current_task(_btf)            a fixed, non-zero stand-in task address
 *   get_current_cgroup_id / ancestor  the calling task's cgroup path (default: root, id 1)
 *   probe_read_user(_str)             there is no user memory: -EFAULT, dst zeroed
 *   get_ns_current_pid_tgid           pid/tgid when dev/ino name the (configurable) pid namespace
 *   skc_to_*_sock                     NULL: the only socket is the test run's unhashed dummy
 *   sk_assign                         -EINVAL for flags, else -EOPNOTSUPP (dummy socket)
 *   tcp_check/gen_syncookie           -EINVAL: they need a TCP listener, which does not exist
 *   perf_event_read(_value)           slot checks of the perf event array; attached events read 0
 *   get_branch_snapshot               -ENOENT (no LBR snapshot configured), -EINVAL for flags
 *   kptr_xchg                         exchange of the 8-byte kptr slot
 *
 * Kernel answers: test/goldens/helpers2 (misc_cases).
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { PerfEventArrayMap } from '../maps/perf-event-array.js';
import { isSkbRunState } from '../skb/run-state.js';
import { ERRNO } from '../uapi.js';
import { argIsNull, argMem, argS32, argU32, argU64, helperFault, setR0, setR0Big, setR0Ptr } from './args.js';
import type { BaseRunState } from './base.js';
import { argMap } from './maps.js';

/** Optional fields a run state may carry for these helpers (pass them in TestRunOptions.base). */
export interface MiscRunState {
  /** get_current_task's value (kernel: the caller's task_struct address). */
  currentTask?: bigint;
  /** The caller's pid namespace as (st_dev, st_ino) of /proc/self/ns/pid. */
  pidns?: { dev: bigint; ino: bigint };
}

/** Stand-in task_struct address: a direct-map kernel address no VM region ever resolves. */
export const DEFAULT_CURRENT_TASK = 0xffff_8881_0000_0000n;
/** The initial pid namespace: nsfs device 4 on the oracle machine, PROC_PID_INIT_INO 0xEFFFFFFC. */
export const DEFAULT_PIDNS = Object.freeze({ dev: 4n, ino: 0xeffffffcn });

const misc = (c: HelperCall): Partial<MiscRunState & BaseRunState> => (c.run ?? {}) as Partial<MiscRunState & BaseRunState>;

/**
 * The calling task's cgroup path from the root down. In a test run the dummy socket is charged
 * to the caller's cgroup, so skb_cgroup_id and get_current_cgroup_id agree [measured]: both read
 * SkbEnv.cgroupPath (default [1n], the root cgroup).
 */
function cgroupPath(c: HelperCall): readonly bigint[] {
  return (isSkbRunState(c.run) ? c.run.env.cgroupPath : undefined) ?? [1n];
}

/** x86-64 USER_PTR_MAX with 4-level paging: the last user address (TASK_SIZE_MAX - 1). */
const USER_PTR_MAX = 0x7fff_ffff_efffn;

/** bpf_probe_read_user(_str): copy_from_user_nofault on an address VM memory never maps. */
function probeReadUser(str: boolean, name: CalleeName): HelperFn {
  return (c) => {
    const size = argU32(c, 2);
    const dst = argMem(c, 1, size, true, name);
    // Every VM address is kernel memory (stack, maps, packet) and user space is empty, so the
    // access check fails: -EFAULT with dst zeroed (bpf_probe_read_user_common). The _str form
    // returns 0 for size 0 without touching anything.
    if (str && size === 0) return setR0(c, 0);
    // copy_from_user_nofault with size 0 only checks the address: a user address (not VM memory,
    // at most USER_PTR_MAX) reads nothing and returns 0 [measured: NULL → 0, stack → -EFAULT].
    if (size === 0 && c.mem.regionOf(c.regs.hi[3]) === undefined && argU64(c, 3) <= USER_PTR_MAX) return setR0(c, 0);
    dst.fill(0);
    setR0(c, -ERRNO.EFAULT);
  };
}

/** bpf_get_ns_current_pid_tgid(dev, ino, nsdata, size). */
const getNsCurrentPidTgid: HelperFn = (c) => {
  const size = argU32(c, 4);
  const out = argMem(c, 3, size, true, 'bpf_get_ns_current_pid_tgid');
  const dev = argU64(c, 1);
  const ino = argU64(c, 2);
  const ns = misc(c).pidns ?? DEFAULT_PIDNS;
  // sizeof(struct bpf_pidns_info) is 8; dev must fit dev_t (u32); a namespace mismatch is -EINVAL
  // too (all three "goto clear").
  if (size !== 8 || dev > 0xffffffffn || dev !== ns.dev || ino !== ns.ino) {
    out.fill(0);
    return setR0(c, -ERRNO.EINVAL);
  }
  const dv = new DataView(out.buffer, out.byteOffset, 8);
  dv.setUint32(0, misc(c).pid ?? 0, true);
  dv.setUint32(4, misc(c).tgid ?? 0, true);
  setR0(c, 0);
};

/** The socket-common argument: the verifier requires a non-NULL socket pointer. */
function argSock(c: HelperCall, n: number, name: CalleeName): void {
  if (argIsNull(c, n)) throw helperFault(c, name, `argument r${n} is not a socket`);
}

/** bpf_skc_to_*: the only socket a tc program can hold is the test run's dummy, which is none of these. */
function skcTo(name: CalleeName): HelperFn {
  return (c) => {
    argSock(c, 1, name);
    setR0Ptr(c, 0, 0);
  };
}

/** perf_event_array slot state (the map keeps slots private; read them through this view). */
function perfSlot(map: PerfEventArrayMap, i: number): number | undefined {
  return map.eventCpu(i);
}

/**
 * get_map_perf_counter (bpf_trace.c): index field and flag checks, then the event's counter. The
 * only events offline are BPF_OUTPUT software events (perf_buffer's), whose count reads 0;
 * perf_event_read_local refuses an event bound to another CPU with -EINVAL.
 */
function perfRead(c: HelperCall, name: CalleeName): number {
  const map = argMap(c, 1, name);
  if (!(map instanceof PerfEventArrayMap)) throw helperFault(c, name, `map ${map.name} is not a perf event array`);
  if (c.regs.hi[2] !== 0) return -ERRNO.EINVAL;
  let i = argU32(c, 2);
  const cpu = misc(c).cpu ?? 0;
  if (i === 0xffffffff) i = cpu;
  if (i >= map.maxEntries) return -ERRNO.E2BIG;
  const ev = perfSlot(map, i);
  if (ev === undefined) return -ERRNO.ENOENT;
  if (ev !== cpu) return -ERRNO.EINVAL;
  return 0;
}

/** struct bpf_perf_event_value: counter, enabled, running (u64 each). */
const PERF_EVENT_VALUE_SIZE = 24;

export const miscHelpers: HelperFamily = {
  [H.bpf_get_current_task]: (c) => setR0Big(c, misc(c).currentTask ?? DEFAULT_CURRENT_TASK),
  [H.bpf_get_current_task_btf]: (c) => setR0Big(c, misc(c).currentTask ?? DEFAULT_CURRENT_TASK),
  [H.bpf_get_current_cgroup_id]: (c) => {
    const p = cgroupPath(c);
    setR0Big(c, p[p.length - 1] ?? 0n);
  },
  [H.bpf_get_current_ancestor_cgroup_id]: (c) => {
    // cgroup_ancestor(): NULL (id 0) for a negative level or one deeper than the cgroup.
    const lvl = argS32(c, 1);
    const p = cgroupPath(c);
    setR0Big(c, lvl >= 0 && lvl < p.length ? p[lvl] : 0n);
  },
  ...byName(['bpf_probe_read_user'], (n) => probeReadUser(false, n)),
  ...byName(['bpf_probe_read_user_str'], (n) => probeReadUser(true, n)),
  [H.bpf_get_ns_current_pid_tgid]: getNsCurrentPidTgid,
  ...byName(
    [
      'bpf_skc_to_tcp6_sock',
      'bpf_skc_to_tcp_sock',
      'bpf_skc_to_tcp_timewait_sock',
      'bpf_skc_to_tcp_request_sock',
      'bpf_skc_to_udp6_sock',
      'bpf_skc_to_unix_sock',
      'bpf_skc_to_mptcp_sock',
    ],
    skcTo,
  ),
  [H.bpf_sk_assign]: (c) => {
    argSock(c, 2, 'bpf_sk_assign');
    // flags first; then the socket must be hashed (sk_unhashed → -EOPNOTSUPP), which the dummy
    // test-run socket never is (and outside tc ingress it is -EOPNOTSUPP anyway).
    setR0(c, argU64(c, 3) !== 0n ? -ERRNO.EINVAL : -ERRNO.EOPNOTSUPP);
  },
  // Both need sk to be a TCP listener (sk_protocol, sk_state checks): never true offline.
  [H.bpf_tcp_check_syncookie]: (c) => setR0(c, -ERRNO.EINVAL),
  [H.bpf_tcp_gen_syncookie]: (c) => setR0(c, -ERRNO.EINVAL),
  [H.bpf_perf_event_read]: (c) => setR0(c, perfRead(c, 'bpf_perf_event_read')),
  [H.bpf_perf_event_read_value]: (c) => {
    const size = argU32(c, 4);
    const buf = argMem(c, 3, size, true, 'bpf_perf_event_read_value');
    // size check first, and the buffer is zeroed on every error (bpf_perf_event_read_value).
    const err = size !== PERF_EVENT_VALUE_SIZE ? -ERRNO.EINVAL : perfRead(c, 'bpf_perf_event_read_value');
    buf.fill(0);
    setR0(c, err);
  },
  [H.bpf_get_branch_snapshot]: (c) => {
    argMem(c, 1, argU32(c, 2), true, 'bpf_get_branch_snapshot');
    // No LBR snapshot backend: the static call's default returns 0 entries → -ENOENT.
    setR0(c, argU64(c, 3) !== 0n ? -ERRNO.EINVAL : -ERRNO.ENOENT);
  },
  [H.bpf_kptr_xchg]: (c) => {
    // *dst = ptr, return the old value (xchg). Without kfuncs the only storable value is NULL.
    const slot = argMem(c, 1, 8, true, 'bpf_kptr_xchg');
    const dv = new DataView(slot.buffer, slot.byteOffset, 8);
    const oldLo = dv.getInt32(0, true);
    const oldHi = dv.getInt32(4, true);
    dv.setInt32(0, c.regs.lo[2], true);
    dv.setInt32(4, c.regs.hi[2], true);
    setR0Ptr(c, oldHi, oldLo);
  },
};
