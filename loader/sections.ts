/**
 * @fileoverview Section classification (one switch) and the section-name → program-type table.
 *
 * The table is libbpf's `section_defs[]` (tools/lib/bpf/libbpf.c, libbpf 1.5 / Linux 6.18), in
 * libbpf's order, with libbpf's matching rules (`sec_def_matches`):
 *   - "name/"  matches any section name starting with "name/";
 *   - "name+"  matches "name" exactly or "name/anything";
 *   - "name"   matches exactly.
 * First match wins. Program and attach type numbers come from src/uapi.ts.
 */
import { ElfError } from '../vm/errors.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE, uapiName } from '../vm/uapi.js';
import { SHF_EXECINSTR, SHT_NOBITS, SHT_PROGBITS, type ElfSection } from './elf-file.js';

type ProgTypeName = keyof typeof BPF_PROG_TYPE extends `BPF_PROG_TYPE_${infer N}` ? N : never;
type AttachTypeName = keyof typeof BPF_ATTACH_TYPE;

/** One row of libbpf's section_defs: prefix, program type, expected attach type. */
export interface SectionDef {
  readonly prefix: string;
  readonly progType: ProgTypeName;
  readonly attachType?: AttachTypeName;
}

const d = (prefix: string, progType: ProgTypeName, attachType?: AttachTypeName): SectionDef => ({
  prefix,
  progType,
  attachType,
});

/** libbpf section_defs[] (libbpf.c), same order. */
export const SECTION_DEFS: readonly SectionDef[] = [
  d('socket', 'SOCKET_FILTER'),
  d('sk_reuseport/migrate', 'SK_REUSEPORT', 'BPF_SK_REUSEPORT_SELECT_OR_MIGRATE'),
  d('sk_reuseport', 'SK_REUSEPORT', 'BPF_SK_REUSEPORT_SELECT'),
  d('kprobe+', 'KPROBE'),
  d('uprobe+', 'KPROBE'),
  d('uprobe.s+', 'KPROBE'),
  d('kretprobe+', 'KPROBE'),
  d('uretprobe+', 'KPROBE'),
  d('uretprobe.s+', 'KPROBE'),
  d('kprobe.multi+', 'KPROBE', 'BPF_TRACE_KPROBE_MULTI'),
  d('kretprobe.multi+', 'KPROBE', 'BPF_TRACE_KPROBE_MULTI'),
  d('uprobe.multi+', 'KPROBE', 'BPF_TRACE_UPROBE_MULTI'),
  d('uretprobe.multi+', 'KPROBE', 'BPF_TRACE_UPROBE_MULTI'),
  d('uprobe.multi.s+', 'KPROBE', 'BPF_TRACE_UPROBE_MULTI'),
  d('uretprobe.multi.s+', 'KPROBE', 'BPF_TRACE_UPROBE_MULTI'),
  d('ksyscall+', 'KPROBE'),
  d('kretsyscall+', 'KPROBE'),
  d('usdt+', 'KPROBE'),
  d('usdt.s+', 'KPROBE'),
  d('tc/ingress', 'SCHED_CLS', 'BPF_TCX_INGRESS'), // libbpf: alias for tcx
  d('tc/egress', 'SCHED_CLS', 'BPF_TCX_EGRESS'), // libbpf: alias for tcx
  d('tcx/ingress', 'SCHED_CLS', 'BPF_TCX_INGRESS'),
  d('tcx/egress', 'SCHED_CLS', 'BPF_TCX_EGRESS'),
  d('tc', 'SCHED_CLS'), // legacy cls_bpf
  d('classifier', 'SCHED_CLS'), // legacy cls_bpf
  d('action', 'SCHED_ACT'), // legacy act_bpf
  d('netkit/primary', 'SCHED_CLS', 'BPF_NETKIT_PRIMARY'),
  d('netkit/peer', 'SCHED_CLS', 'BPF_NETKIT_PEER'),
  d('tracepoint+', 'TRACEPOINT'),
  d('tp+', 'TRACEPOINT'),
  d('raw_tracepoint+', 'RAW_TRACEPOINT'),
  d('raw_tp+', 'RAW_TRACEPOINT'),
  d('raw_tracepoint.w+', 'RAW_TRACEPOINT_WRITABLE'),
  d('raw_tp.w+', 'RAW_TRACEPOINT_WRITABLE'),
  d('tp_btf+', 'TRACING', 'BPF_TRACE_RAW_TP'),
  d('fentry+', 'TRACING', 'BPF_TRACE_FENTRY'),
  d('fmod_ret+', 'TRACING', 'BPF_MODIFY_RETURN'),
  d('fexit+', 'TRACING', 'BPF_TRACE_FEXIT'),
  d('fentry.s+', 'TRACING', 'BPF_TRACE_FENTRY'),
  d('fmod_ret.s+', 'TRACING', 'BPF_MODIFY_RETURN'),
  d('fexit.s+', 'TRACING', 'BPF_TRACE_FEXIT'),
  d('freplace+', 'EXT'),
  d('lsm+', 'LSM', 'BPF_LSM_MAC'),
  d('lsm.s+', 'LSM', 'BPF_LSM_MAC'),
  d('lsm_cgroup+', 'LSM', 'BPF_LSM_CGROUP'),
  d('iter+', 'TRACING', 'BPF_TRACE_ITER'),
  d('iter.s+', 'TRACING', 'BPF_TRACE_ITER'),
  d('syscall', 'SYSCALL'),
  d('xdp.frags/devmap', 'XDP', 'BPF_XDP_DEVMAP'),
  d('xdp/devmap', 'XDP', 'BPF_XDP_DEVMAP'),
  d('xdp.frags/cpumap', 'XDP', 'BPF_XDP_CPUMAP'),
  d('xdp/cpumap', 'XDP', 'BPF_XDP_CPUMAP'),
  d('xdp.frags', 'XDP', 'BPF_XDP'),
  d('xdp', 'XDP', 'BPF_XDP'),
  d('perf_event', 'PERF_EVENT'),
  d('lwt_in', 'LWT_IN'),
  d('lwt_out', 'LWT_OUT'),
  d('lwt_xmit', 'LWT_XMIT'),
  d('lwt_seg6local', 'LWT_SEG6LOCAL'),
  d('sockops', 'SOCK_OPS', 'BPF_CGROUP_SOCK_OPS'),
  d('sk_skb/stream_parser', 'SK_SKB', 'BPF_SK_SKB_STREAM_PARSER'),
  d('sk_skb/stream_verdict', 'SK_SKB', 'BPF_SK_SKB_STREAM_VERDICT'),
  d('sk_skb', 'SK_SKB'),
  d('sk_msg', 'SK_MSG', 'BPF_SK_MSG_VERDICT'),
  d('lirc_mode2', 'LIRC_MODE2', 'BPF_LIRC_MODE2'),
  d('flow_dissector', 'FLOW_DISSECTOR', 'BPF_FLOW_DISSECTOR'),
  d('cgroup_skb/ingress', 'CGROUP_SKB', 'BPF_CGROUP_INET_INGRESS'),
  d('cgroup_skb/egress', 'CGROUP_SKB', 'BPF_CGROUP_INET_EGRESS'),
  d('cgroup/skb', 'CGROUP_SKB'),
  d('cgroup/sock_create', 'CGROUP_SOCK', 'BPF_CGROUP_INET_SOCK_CREATE'),
  d('cgroup/sock_release', 'CGROUP_SOCK', 'BPF_CGROUP_INET_SOCK_RELEASE'),
  d('cgroup/sock', 'CGROUP_SOCK', 'BPF_CGROUP_INET_SOCK_CREATE'),
  d('cgroup/post_bind4', 'CGROUP_SOCK', 'BPF_CGROUP_INET4_POST_BIND'),
  d('cgroup/post_bind6', 'CGROUP_SOCK', 'BPF_CGROUP_INET6_POST_BIND'),
  d('cgroup/bind4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET4_BIND'),
  d('cgroup/bind6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET6_BIND'),
  d('cgroup/connect4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET4_CONNECT'),
  d('cgroup/connect6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET6_CONNECT'),
  d('cgroup/connect_unix', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UNIX_CONNECT'),
  d('cgroup/sendmsg4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UDP4_SENDMSG'),
  d('cgroup/sendmsg6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UDP6_SENDMSG'),
  d('cgroup/sendmsg_unix', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UNIX_SENDMSG'),
  d('cgroup/recvmsg4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UDP4_RECVMSG'),
  d('cgroup/recvmsg6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UDP6_RECVMSG'),
  d('cgroup/recvmsg_unix', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UNIX_RECVMSG'),
  d('cgroup/getpeername4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET4_GETPEERNAME'),
  d('cgroup/getpeername6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET6_GETPEERNAME'),
  d('cgroup/getpeername_unix', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UNIX_GETPEERNAME'),
  d('cgroup/getsockname4', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET4_GETSOCKNAME'),
  d('cgroup/getsockname6', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_INET6_GETSOCKNAME'),
  d('cgroup/getsockname_unix', 'CGROUP_SOCK_ADDR', 'BPF_CGROUP_UNIX_GETSOCKNAME'),
  d('cgroup/sysctl', 'CGROUP_SYSCTL', 'BPF_CGROUP_SYSCTL'),
  d('cgroup/getsockopt', 'CGROUP_SOCKOPT', 'BPF_CGROUP_GETSOCKOPT'),
  d('cgroup/setsockopt', 'CGROUP_SOCKOPT', 'BPF_CGROUP_SETSOCKOPT'),
  d('cgroup/dev', 'CGROUP_DEVICE', 'BPF_CGROUP_DEVICE'),
  d('struct_ops+', 'STRUCT_OPS'),
  d('struct_ops.s+', 'STRUCT_OPS'),
  d('sk_lookup', 'SK_LOOKUP', 'BPF_SK_LOOKUP'),
  d('netfilter', 'NETFILTER', 'BPF_NETFILTER'),
];

/** libbpf's sec_def_matches(). */
export function sectionDefMatches(def: SectionDef, name: string): boolean {
  const p = def.prefix;
  if (p.endsWith('/')) return name.startsWith(p);
  if (p.endsWith('+')) {
    const base = p.slice(0, -1);
    return name === base || name.startsWith(`${base}/`);
  }
  return name === p;
}

/** A numeric type with its uapi name (e.g. { id: 3, name: 'BPF_PROG_TYPE_SCHED_CLS' }). */
export interface TypeRef {
  readonly id: number;
  readonly name: string;
}

/** Program type and expected attach type for a section name, or undefined (libbpf find_sec_def()). */
export function programTypeForSection(name: string): { type: TypeRef; attachType?: TypeRef } | undefined {
  for (const def of SECTION_DEFS) {
    if (!sectionDefMatches(def, name)) continue;
    const typeName = `BPF_PROG_TYPE_${def.progType}` as keyof typeof BPF_PROG_TYPE;
    const type = { id: BPF_PROG_TYPE[typeName], name: typeName };
    if (def.attachType === undefined) return { type };
    return { type, attachType: { id: BPF_ATTACH_TYPE[def.attachType], name: def.attachType } };
  }
  return undefined;
}

/**
 * A program type given by the caller: a number, a uapi name (`BPF_PROG_TYPE_SCHED_CLS`), a
 * short name (`sched_cls`) or a section-style name as bpftool accepts (`classifier`, `tc`, `xdp`).
 */
export type ProgramTypeOption = number | string;

/** Resolve a ProgramTypeOption; throws ElfError for names we do not know. */
export function resolveProgramType(opt: ProgramTypeOption): { type: TypeRef; attachType?: TypeRef } {
  if (typeof opt === 'number') {
    const name = uapiName(BPF_PROG_TYPE, opt);
    if (name !== undefined) return { type: { id: opt, name } };
    throw new ElfError(`unknown program type ${opt}`);
  }
  const upper = opt.toUpperCase();
  const full = upper.startsWith('BPF_PROG_TYPE_') ? upper : `BPF_PROG_TYPE_${upper}`;
  if (Object.hasOwn(BPF_PROG_TYPE, full)) {
    return { type: { id: BPF_PROG_TYPE[full as keyof typeof BPF_PROG_TYPE], name: full } };
  }
  const bySection = programTypeForSection(opt);
  if (bySection) return bySection;
  throw new ElfError(`unknown program type ${JSON.stringify(opt)}`);
}

/** What a section is for the loader. */
export type SectionKind =
  | 'program' // executable code holding entry programs
  | 'text' // .text: subprograms only (libbpf: never entry programs)
  | 'btf-maps' // .maps
  | 'legacy-maps' // maps (struct bpf_map_def or iproute2 struct bpf_elf_map)
  | 'data' // .data, .data.*
  | 'rodata' // .rodata, .rodata.* (incl. string literal sections)
  | 'bss' // .bss, .bss.*
  | 'license'
  | 'version'
  | 'btf'
  | 'btf-ext'
  | 'other';

/** Classify one section by name, type and flags (cilium's elfCode section switch). */
export function classifySection(s: ElfSection): SectionKind {
  const name = s.name;
  switch (true) {
    case name === 'license':
      return 'license';
    case name === 'version':
      return 'version';
    case name === '.BTF':
      return 'btf';
    case name === '.BTF.ext':
      return 'btf-ext';
    case name === '.maps' && s.type === SHT_PROGBITS:
      return 'btf-maps';
    case name === 'maps' && s.type === SHT_PROGBITS:
      return 'legacy-maps';
    case s.type === SHT_PROGBITS && (s.flags & SHF_EXECINSTR) !== 0:
      return name === '.text' ? 'text' : 'program';
    case (name === '.data' || name.startsWith('.data.')) && s.type === SHT_PROGBITS:
      return 'data';
    case (name === '.rodata' || name.startsWith('.rodata.')) && s.type === SHT_PROGBITS:
      return 'rodata';
    case (name === '.bss' || name.startsWith('.bss.')) && s.type === SHT_NOBITS:
      return 'bss';
    default:
      return 'other';
  }
}

/** iproute2's "ID/KEY" program sections (tc's bpf_fill_prog_arrays): "2/0" pre-fills prog array id 2, key 0. */
export function iproute2ProgArraySlot(name: string): { id: number; key: number } | undefined {
  const m = /^(\d{1,10})\/(\d{1,10})$/.exec(name);
  if (!m) return undefined;
  const id = Number(m[1]);
  const key = Number(m[2]);
  if (id > 0xffffffff || key > 0xffffffff) return undefined;
  return { id, key };
}
