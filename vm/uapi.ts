/**
 * @fileoverview Kernel constants with their uapi spelling, in one place.
 * Sources: include/uapi/linux/bpf.h, include/uapi/linux/pkt_cls.h, include/uapi/asm-generic/errno*.h,
 * include/uapi/linux/if_ether.h. Values checked against Linux 6.18. Add here; never redefine
 * one of these elsewhere. Values only: the library exposes this module as the `uapi` namespace,
 * and a type in it would become a value there in bundled declarations (ErrnoName is in errors.ts).
 */
import type { ErrnoName } from './errors.js';

/** enum bpf_map_type */
export const BPF_MAP_TYPE = {
  BPF_MAP_TYPE_UNSPEC: 0,
  BPF_MAP_TYPE_HASH: 1,
  BPF_MAP_TYPE_ARRAY: 2,
  BPF_MAP_TYPE_PROG_ARRAY: 3,
  BPF_MAP_TYPE_PERF_EVENT_ARRAY: 4,
  BPF_MAP_TYPE_PERCPU_HASH: 5,
  BPF_MAP_TYPE_PERCPU_ARRAY: 6,
  BPF_MAP_TYPE_STACK_TRACE: 7,
  BPF_MAP_TYPE_CGROUP_ARRAY: 8,
  BPF_MAP_TYPE_LRU_HASH: 9,
  BPF_MAP_TYPE_LRU_PERCPU_HASH: 10,
  BPF_MAP_TYPE_LPM_TRIE: 11,
  BPF_MAP_TYPE_ARRAY_OF_MAPS: 12,
  BPF_MAP_TYPE_HASH_OF_MAPS: 13,
  BPF_MAP_TYPE_DEVMAP: 14,
  BPF_MAP_TYPE_SOCKMAP: 15,
  BPF_MAP_TYPE_CPUMAP: 16,
  BPF_MAP_TYPE_XSKMAP: 17,
  BPF_MAP_TYPE_SOCKHASH: 18,
  BPF_MAP_TYPE_CGROUP_STORAGE: 19,
  BPF_MAP_TYPE_REUSEPORT_SOCKARRAY: 20,
  BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE: 21,
  BPF_MAP_TYPE_QUEUE: 22,
  BPF_MAP_TYPE_STACK: 23,
  BPF_MAP_TYPE_SK_STORAGE: 24,
  BPF_MAP_TYPE_DEVMAP_HASH: 25,
  BPF_MAP_TYPE_STRUCT_OPS: 26,
  BPF_MAP_TYPE_RINGBUF: 27,
  BPF_MAP_TYPE_INODE_STORAGE: 28,
  BPF_MAP_TYPE_TASK_STORAGE: 29,
  BPF_MAP_TYPE_BLOOM_FILTER: 30,
  BPF_MAP_TYPE_USER_RINGBUF: 31,
  BPF_MAP_TYPE_CGRP_STORAGE: 32,
  BPF_MAP_TYPE_ARENA: 33,
} as const;

/** Map type id → name without the prefix, lower case ("hash", "percpu_array"), as bpftool prints. */
export function mapTypeName(type: number): string {
  return uapiName(BPF_MAP_TYPE, type, 'BPF_MAP_TYPE_')?.toLowerCase() ?? `unknown(${type})`;
}

/** Map update flags (BPF_ANY...) and map creation flags (BPF_F_*). */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;
export const BPF_F_NO_PREALLOC = 1 << 0;
export const BPF_F_NO_COMMON_LRU = 1 << 1;
export const BPF_F_NUMA_NODE = 1 << 2;
export const BPF_F_RDONLY = 1 << 3;
export const BPF_F_WRONLY = 1 << 4;
export const BPF_F_RDONLY_PROG = 1 << 7;
export const BPF_F_WRONLY_PROG = 1 << 8;
export const BPF_F_INNER_MAP = 1 << 12;
export const BPF_F_MMAPABLE = 1 << 10;
export const BPF_F_ZERO_SEED = 1 << 6;
export const BPF_F_PRESERVE_ELEMS = 1 << 11;
/** BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG. */
export const BPF_F_ACCESS_MASK = BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

/** bpf_perf_event_output flags: index field (low 32 bits) and its "current CPU" value. */
export const BPF_F_INDEX_MASK = 0xffff_ffff;
export const BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK;

/** Ring buffer record header bits and size; bpf_ringbuf_* flags; bpf_ringbuf_query selectors. */
export const BPF_RINGBUF_BUSY_BIT = 0x8000_0000;
export const BPF_RINGBUF_DISCARD_BIT = 0x4000_0000;
export const BPF_RINGBUF_HDR_SZ = 8;
export const BPF_RB_NO_WAKEUP = 1;
export const BPF_RB_FORCE_WAKEUP = 2;
export const BPF_RB_AVAIL_DATA = 0;
export const BPF_RB_RING_SIZE = 1;
export const BPF_RB_CONS_POS = 2;
export const BPF_RB_PROD_POS = 3;

/** enum bpf_prog_type (the ones we name). */
export const BPF_PROG_TYPE = {
  BPF_PROG_TYPE_UNSPEC: 0,
  BPF_PROG_TYPE_SOCKET_FILTER: 1,
  BPF_PROG_TYPE_KPROBE: 2,
  BPF_PROG_TYPE_SCHED_CLS: 3,
  BPF_PROG_TYPE_SCHED_ACT: 4,
  BPF_PROG_TYPE_TRACEPOINT: 5,
  BPF_PROG_TYPE_XDP: 6,
  BPF_PROG_TYPE_PERF_EVENT: 7,
  BPF_PROG_TYPE_CGROUP_SKB: 8,
  BPF_PROG_TYPE_CGROUP_SOCK: 9,
  BPF_PROG_TYPE_LWT_IN: 10,
  BPF_PROG_TYPE_LWT_OUT: 11,
  BPF_PROG_TYPE_LWT_XMIT: 12,
  BPF_PROG_TYPE_SOCK_OPS: 13,
  BPF_PROG_TYPE_SK_SKB: 14,
  BPF_PROG_TYPE_CGROUP_DEVICE: 15,
  BPF_PROG_TYPE_SK_MSG: 16,
  BPF_PROG_TYPE_RAW_TRACEPOINT: 17,
  BPF_PROG_TYPE_CGROUP_SOCK_ADDR: 18,
  BPF_PROG_TYPE_LWT_SEG6LOCAL: 19,
  BPF_PROG_TYPE_LIRC_MODE2: 20,
  BPF_PROG_TYPE_SK_REUSEPORT: 21,
  BPF_PROG_TYPE_FLOW_DISSECTOR: 22,
  BPF_PROG_TYPE_CGROUP_SYSCTL: 23,
  BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE: 24,
  BPF_PROG_TYPE_CGROUP_SOCKOPT: 25,
  BPF_PROG_TYPE_TRACING: 26,
  BPF_PROG_TYPE_STRUCT_OPS: 27,
  BPF_PROG_TYPE_EXT: 28,
  BPF_PROG_TYPE_LSM: 29,
  BPF_PROG_TYPE_SK_LOOKUP: 30,
  BPF_PROG_TYPE_SYSCALL: 31,
  BPF_PROG_TYPE_NETFILTER: 32,
} as const;

/** Program type id → libbpf's name (libbpf_bpf_prog_type_str: "sched_cls", "xdp"), or "unknown(N)". */
export function progTypeName(type: number): string {
  return uapiName(BPF_PROG_TYPE, type, 'BPF_PROG_TYPE_')?.toLowerCase() ?? `unknown(${type})`;
}

/** enum bpf_attach_type (complete as of Linux 6.18; values from this kernel's vmlinux BTF). */
export const BPF_ATTACH_TYPE = {
  BPF_CGROUP_INET_INGRESS: 0,
  BPF_CGROUP_INET_EGRESS: 1,
  BPF_CGROUP_INET_SOCK_CREATE: 2,
  BPF_CGROUP_SOCK_OPS: 3,
  BPF_SK_SKB_STREAM_PARSER: 4,
  BPF_SK_SKB_STREAM_VERDICT: 5,
  BPF_CGROUP_DEVICE: 6,
  BPF_SK_MSG_VERDICT: 7,
  BPF_CGROUP_INET4_BIND: 8,
  BPF_CGROUP_INET6_BIND: 9,
  BPF_CGROUP_INET4_CONNECT: 10,
  BPF_CGROUP_INET6_CONNECT: 11,
  BPF_CGROUP_INET4_POST_BIND: 12,
  BPF_CGROUP_INET6_POST_BIND: 13,
  BPF_CGROUP_UDP4_SENDMSG: 14,
  BPF_CGROUP_UDP6_SENDMSG: 15,
  BPF_LIRC_MODE2: 16,
  BPF_FLOW_DISSECTOR: 17,
  BPF_CGROUP_SYSCTL: 18,
  BPF_CGROUP_UDP4_RECVMSG: 19,
  BPF_CGROUP_UDP6_RECVMSG: 20,
  BPF_CGROUP_GETSOCKOPT: 21,
  BPF_CGROUP_SETSOCKOPT: 22,
  BPF_TRACE_RAW_TP: 23,
  BPF_TRACE_FENTRY: 24,
  BPF_TRACE_FEXIT: 25,
  BPF_MODIFY_RETURN: 26,
  BPF_LSM_MAC: 27,
  BPF_TRACE_ITER: 28,
  BPF_CGROUP_INET4_GETPEERNAME: 29,
  BPF_CGROUP_INET6_GETPEERNAME: 30,
  BPF_CGROUP_INET4_GETSOCKNAME: 31,
  BPF_CGROUP_INET6_GETSOCKNAME: 32,
  BPF_XDP_DEVMAP: 33,
  BPF_CGROUP_INET_SOCK_RELEASE: 34,
  BPF_XDP_CPUMAP: 35,
  BPF_SK_LOOKUP: 36,
  BPF_XDP: 37,
  BPF_SK_SKB_VERDICT: 38,
  BPF_SK_REUSEPORT_SELECT: 39,
  BPF_SK_REUSEPORT_SELECT_OR_MIGRATE: 40,
  BPF_PERF_EVENT: 41,
  BPF_TRACE_KPROBE_MULTI: 42,
  BPF_LSM_CGROUP: 43,
  BPF_STRUCT_OPS: 44,
  BPF_NETFILTER: 45,
  BPF_TCX_INGRESS: 46,
  BPF_TCX_EGRESS: 47,
  BPF_TRACE_UPROBE_MULTI: 48,
  BPF_CGROUP_UNIX_CONNECT: 49,
  BPF_CGROUP_UNIX_SENDMSG: 50,
  BPF_CGROUP_UNIX_RECVMSG: 51,
  BPF_CGROUP_UNIX_GETPEERNAME: 52,
  BPF_CGROUP_UNIX_GETSOCKNAME: 53,
  BPF_NETKIT_PRIMARY: 54,
  BPF_NETKIT_PEER: 55,
  BPF_TRACE_KPROBE_SESSION: 56,
  BPF_TRACE_UPROBE_SESSION: 57,
} as const;

/** bpf_mprog attach flags (BPF_PROG_ATTACH / BPF_LINK_CREATE / BPF_PROG_DETACH). */
export const BPF_F_REPLACE = 1 << 2;
export const BPF_F_BEFORE = 1 << 3;
export const BPF_F_AFTER = 1 << 4;
export const BPF_F_ID = 1 << 5;
export const BPF_F_LINK = 1 << 13;
/** cgroup-only attach flags (rejected by the mprog API with EINVAL). */
export const BPF_F_ALLOW_OVERRIDE = 1 << 0;
export const BPF_F_ALLOW_MULTI = 1 << 1;
export const BPF_F_PREORDER = 1 << 6;
/** BPF_PROG_QUERY query_flags. */
export const BPF_F_QUERY_EFFECTIVE = 1 << 0;

/** enum bpf_link_type (the ones we name). */
export const BPF_LINK_TYPE = {
  BPF_LINK_TYPE_UNSPEC: 0,
  BPF_LINK_TYPE_XDP: 6,
  BPF_LINK_TYPE_TCX: 11,
  BPF_LINK_TYPE_NETKIT: 13,
} as const;

/** tc actions (include/uapi/linux/pkt_cls.h). */
export const TC_ACT = {
  TC_ACT_UNSPEC: -1,
  TC_ACT_OK: 0,
  TC_ACT_RECLASSIFY: 1,
  TC_ACT_SHOT: 2,
  TC_ACT_PIPE: 3,
  TC_ACT_STOLEN: 4,
  TC_ACT_QUEUED: 5,
  TC_ACT_REPEAT: 6,
  TC_ACT_REDIRECT: 7,
  TC_ACT_TRAP: 8,
} as const;
/** TC_ACT_JUMP / TC_ACT_GOTO_CHAIN opcode bits (pkt_cls.h __TC_ACT_EXT). */
export const TC_ACT_EXT_SHIFT = 28;
export const TC_ACT_JUMP = 1 << TC_ACT_EXT_SHIFT;
export const TC_ACT_GOTO_CHAIN = 2 << TC_ACT_EXT_SHIFT;
export const TC_ACT_EXT_OPCODE_MAX = TC_ACT_GOTO_CHAIN;
export const TC_ACT_EXT_VAL_MASK = (1 << TC_ACT_EXT_SHIFT) - 1;

/** tcx results (uapi enum tcx_action_base). */
export const TCX = {
  TCX_NEXT: -1,
  TCX_PASS: 0,
  TCX_DROP: 2,
  TCX_REDIRECT: 7,
} as const;

/** Redirect flags. */
export const BPF_F_INGRESS = 1 << 0;

/** The largest s32 (include/linux/limits.h); e.g. a netns id or a sockmap fd must not exceed it. */
export const S32_MAX = 0x7fffffff;
/** The smallest s32 and the largest u32 (include/linux/limits.h), as the verifier's bounds use them. */
export const S32_MIN = -0x80000000;
export const U32_MAX = 0xffffffff;
/** The 64-bit limits (include/linux/limits.h), as bigints for the verifier's bounds. */
export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;

/** Iterations bpf_loop and bpf_for_each_map_elem allow (include/linux/bpf.h, kernel-internal). */
export const BPF_MAX_LOOPS = 8 * 1024 * 1024;

/** Where bpffs is mounted and libbpf and iproute2 pin (libbpf BPF_FS_DEFAULT_PATH). */
export const BPF_FS_DEFAULT_PATH = '/sys/fs/bpf';

/** libbpf's pinning attribute of a BTF map (enum libbpf_pin_type, tools/lib/bpf/libbpf.h). */
export const LIBBPF_PIN_NONE = 0;
export const LIBBPF_PIN_BY_NAME = 1;

/** Ethernet protocols (if_ether.h), host order. */
export const ETH_P = {
  ETH_P_IP: 0x0800,
  ETH_P_ARP: 0x0806,
  ETH_P_8021Q: 0x8100,
  ETH_P_8021AD: 0x88a8,
  ETH_P_IPV6: 0x86dd,
  ETH_P_802_3: 0x0001,
  ETH_P_ALL: 0x0003,
  ETH_P_LOOPBACK: 0x9000,
  ETH_P_MPLS_UC: 0x8847,
  ETH_P_TEB: 0x6558,
} as const;
export const ETH_HLEN = 14;
export const ETH_ALEN = 6;
/** VLAN header length (include/linux/if_vlan.h). */
export const VLAN_HLEN = 4;

/** IP protocol numbers (include/uapi/linux/in.h, in6.h). */
export const IPPROTO = {
  IPPROTO_HOPOPTS: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_IPIP: 4,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_DCCP: 33,
  IPPROTO_IPV6: 41,
  IPPROTO_ROUTING: 43,
  IPPROTO_FRAGMENT: 44,
  IPPROTO_GRE: 47,
  IPPROTO_ESP: 50,
  IPPROTO_AH: 51,
  IPPROTO_ICMPV6: 58,
  IPPROTO_NONE: 59,
  IPPROTO_DSTOPTS: 60,
  IPPROTO_SCTP: 132,
  IPPROTO_UDPLITE: 136,
} as const;

/** Address families (include/linux/socket.h). */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Packet types (include/uapi/linux/if_packet.h). */
export const PACKET = {
  PACKET_HOST: 0,
  PACKET_BROADCAST: 1,
  PACKET_MULTICAST: 2,
  PACKET_OTHERHOST: 3,
  PACKET_OUTGOING: 4,
  PACKET_LOOPBACK: 5,
} as const;

/** errno values (asm-generic/errno-base.h, errno.h) by name. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  ENOTDIR: 20,
  EINVAL: 22,
  ENOSPC: 28,
  ERANGE: 34,
  EDEADLK: 35,
  ENOSYS: 38,
  ELOOP: 40,
  ENOLINK: 67,
  EPROTO: 71,
  EBADMSG: 74,
  EOVERFLOW: 75,
  EMSGSIZE: 90,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENOBUFS: 105,
  EALREADY: 114,
  ESTALE: 116,
  ENOTSUPP: 524,
} as const;

/** errno number (either sign) → name, or "E<n>" for one without a name here. */
export function errnoName(n: number): ErrnoName | `E${number}` {
  const a = Math.abs(n);
  return uapiName(ERRNO, a) ?? `E${a}`;
}

const reverse = new WeakMap<object, Map<number, string>>();

/**
 * The one reverse lookup (number → name) of the tables above: the name of `value` in `table`
 * (the first key with that value, in declaration order), without `prefix` when given, or
 * undefined. Every "what is the name of this number" goes through here.
 */
export function uapiName<T extends Readonly<Record<string, number>>>(table: T, value: number): (keyof T & string) | undefined;
export function uapiName(table: Readonly<Record<string, number>>, value: number, prefix: string): string | undefined;
export function uapiName(table: Readonly<Record<string, number>>, value: number, prefix = ''): string | undefined {
  let m = reverse.get(table);
  if (m === undefined) {
    m = new Map();
    for (const [k, v] of Object.entries(table)) if (!m.has(v)) m.set(v, k);
    reverse.set(table, m);
  }
  const k = m.get(value);
  return k !== undefined && k.startsWith(prefix) ? k.slice(prefix.length) : k;
}
