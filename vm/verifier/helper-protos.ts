/**
 * @fileoverview Helper prototypes as the verifier sees them (the kernel's `struct bpf_func_proto`
 * of each helper: argument and return types, gpl_only, and whether it may move packet data,
 * `bpf_helper_changes_pkt_data`). One line per helper; the id and name come from
 * vm/helper-ids.ts, the implementation from src/helpers/.
 *
 * Argument kinds (ARG_* in include/linux/bpf.h):
 *   any     ARG_ANYTHING (initialised)           map     CONST_PTR_TO_MAP
 *   key     PTR_TO_MAP_KEY (key_size readable)   value   PTR_TO_MAP_VALUE (value_size readable)
 *   uval    PTR_TO_MAP_VALUE|MEM_UNINIT           ctx     PTR_TO_CTX   ctx?  PTR_TO_CTX_OR_NULL
 *   mem     PTR_TO_MEM|MEM_RDONLY (next arg is the size)   umem  PTR_TO_MEM|MEM_UNINIT (written)
 *   mem?    the same or NULL                       rwmem PTR_TO_MEM (read and written)
 *   size    ARG_CONST_SIZE                        size0 ARG_CONST_SIZE_OR_ZERO
 *   sk      PTR_TO_BTF_ID_SOCK_COMMON             skrel  the same, released (OBJ_RELEASE)
 *   lock    PTR_TO_SPIN_LOCK                      timer PTR_TO_TIMER    func PTR_TO_FUNC
 *   stk?    PTR_TO_STACK_OR_NULL                  long  PTR_TO_LONG (8 bytes written)
 *   u32p    PTR_TO_FIXED_SIZE_MEM of 4 bytes (read and written)
 *   asize   ARG_CONST_ALLOC_SIZE_OR_ZERO          alloc PTR_TO_MEM|MEM_ALLOC released (ringbuf)
 *   str     PTR_TO_CONST_STR                      dyn   PTR_TO_DYNPTR (16 stack bytes)
 *   fix20 / fix40  PTR_TO_FIXED_SIZE_MEM of 20 / 40 bytes (read)
 *   btf     PTR_TO_BTF_ID of another type (not modelled: refused)
 * Return kinds: int, void, value?, sock?, skc?, tcp?, rbmem?, btf?, dmem?
 * Flags: gpl (gpl_only), pkt (changes packet data), acq (returns an acquired reference),
 *   pa (pkt_access: may be given packet pointers).
 */
import { HELPER_IDS, type HelperName } from '../helper-ids.js';

export type ArgKind =
  | 'any' | 'map' | 'key' | 'value' | 'uval' | 'ctx' | 'ctx?' | 'mem' | 'umem' | 'mem?' | 'umem?' | 'rwmem'
  | 'size' | 'size0' | 'sk' | 'skrel' | 'lock' | 'timer' | 'func' | 'stk?' | 'long' | 'u32p' | 'asize' | 'alloc'
  | 'str' | 'dyn' | 'udyn' | 'reldyn' | 'btf' | 'value?' | 'fix20' | 'fix40';
export type RetKind = 'int' | 'void' | 'value?' | 'sock?' | 'skc?' | 'tcp?' | 'rbmem?' | 'btf?' | 'dmem?';

export interface HelperProto {
  readonly id: number;
  readonly name: string;
  readonly args: readonly ArgKind[];
  readonly ret: RetKind;
  readonly gplOnly: boolean;
  readonly changesPktData: boolean;
  readonly acquires: boolean;
  /** May be passed packet pointers (bpf_func_proto.pkt_access). */
  readonly pktAccess: boolean;
  /** Map types accepted for the `map` argument (check_map_func_compatibility), when restricted. */
  readonly mapTypes?: readonly number[];
}

// BPF_MAP_TYPE_* numbers used below
const PROG_ARRAY = 3;
const PERF_EVENT_ARRAY = 4;
const CGROUP_ARRAY = 8;
const QUEUE = 22;
const STACK = 23;
const SK_STORAGE = 24;
const RINGBUF = 27;

// name: args -> ret [flags] ; map types after '@'
const TABLE = `
map_lookup_elem: map key -> value? pa
map_update_elem: map key value any -> int pa
map_delete_elem: map key -> int pa
ktime_get_ns: -> int
trace_printk: mem size -> int gpl
get_prandom_u32: -> int
get_smp_processor_id: -> int
skb_store_bytes: ctx any mem size any -> int pkt
l3_csum_replace: ctx any any any any -> int pkt
l4_csum_replace: ctx any any any any -> int pkt
tail_call: ctx map any -> void pkt @${PROG_ARRAY}
clone_redirect: ctx any any -> int pkt
get_current_pid_tgid: -> int
get_current_uid_gid: -> int
get_current_comm: umem size -> int
get_cgroup_classid: ctx -> int
skb_vlan_push: ctx any any -> int pkt
skb_vlan_pop: ctx -> int pkt
skb_get_tunnel_key: ctx umem size any -> int
skb_set_tunnel_key: ctx mem size any -> int
perf_event_read: map any -> int gpl @${PERF_EVENT_ARRAY}
redirect: any any -> int
get_route_realm: ctx -> int
perf_event_output: ctx map any mem size0 -> int gpl @${PERF_EVENT_ARRAY}
skb_load_bytes: ctx any umem size -> int
csum_diff: mem? size0 mem? size0 any -> int pa
skb_get_tunnel_opt: ctx umem size -> int
skb_set_tunnel_opt: ctx mem size -> int
skb_change_proto: ctx any any -> int pkt
skb_change_type: ctx any -> int
skb_under_cgroup: ctx map any -> int @${CGROUP_ARRAY}
get_hash_recalc: ctx -> int
get_current_task: -> int gpl
current_task_under_cgroup: map any -> int @${CGROUP_ARRAY}
skb_change_tail: ctx any any -> int pkt
skb_pull_data: ctx any -> int pkt
csum_update: ctx any -> int
set_hash_invalid: ctx -> void
get_numa_node_id: -> int
skb_change_head: ctx any any -> int pkt
get_socket_cookie: ctx -> int
get_socket_uid: ctx -> int
set_hash: ctx any -> int
skb_adjust_room: ctx any any any -> int pkt
perf_event_read_value: map any umem size -> int gpl @${PERF_EVENT_ARRAY}
skb_get_xfrm_state: ctx any umem size any -> int
skb_load_bytes_relative: ctx any umem size any -> int
fib_lookup: ctx rwmem size any -> int gpl
skb_cgroup_id: ctx -> int
get_current_cgroup_id: -> int
skb_ancestor_cgroup_id: ctx any -> int
sk_lookup_tcp: ctx mem size0 any any -> sock? acq pa
sk_lookup_udp: ctx mem size0 any any -> sock? acq pa
sk_release: skrel -> int
map_push_elem: map value any -> int pa @${QUEUE},${STACK}
map_pop_elem: map uval -> int @${QUEUE},${STACK}
map_peek_elem: map uval -> int @${QUEUE},${STACK}
spin_lock: lock -> void
spin_unlock: lock -> void
sk_fullsock: sk -> sock?
tcp_sock: sk -> tcp?
skb_ecn_set_ce: ctx -> int
get_listener_sock: sk -> sock?
skc_lookup_tcp: ctx mem size0 any any -> skc? acq pa
tcp_check_syncookie: sk mem size mem size -> int gpl pa
strtol: mem size any long -> int
strtoul: mem size any long -> int
sk_storage_get: map sk value? any -> value? @${SK_STORAGE}
sk_storage_delete: map sk -> int @${SK_STORAGE}
send_signal: any -> int
tcp_gen_syncookie: sk mem size mem size -> int gpl pa
probe_read_user: umem size0 any -> int gpl
probe_read_kernel: umem size0 any -> int gpl
probe_read_user_str: umem size0 any -> int gpl
probe_read_kernel_str: umem size0 any -> int gpl
send_signal_thread: any -> int
jiffies64: -> int
get_ns_current_pid_tgid: any any umem size -> int
get_netns_cookie: ctx? -> int
get_current_ancestor_cgroup_id: any -> int
sk_assign: ctx sk any -> int
ktime_get_boot_ns: -> int
ringbuf_output: map mem size0 any -> int @${RINGBUF}
ringbuf_reserve: map asize any -> rbmem? acq @${RINGBUF}
ringbuf_submit: alloc any -> void
ringbuf_discard: alloc any -> void
ringbuf_query: map any -> int @${RINGBUF}
csum_level: ctx any -> int
skc_to_tcp6_sock: sk -> btf?
skc_to_tcp_sock: sk -> btf?
skc_to_tcp_timewait_sock: sk -> btf?
skc_to_tcp_request_sock: sk -> btf?
skc_to_udp6_sock: sk -> btf?
get_task_stack: btf umem size0 any -> int
snprintf_btf: rwmem size mem size any -> int
skb_cgroup_classid: ctx -> int
redirect_neigh: any mem? size0 any -> int
per_cpu_ptr: btf any -> dmem?
this_cpu_ptr: btf -> dmem?
redirect_peer: any any -> int
task_storage_get: map btf value? any -> value?
task_storage_delete: map btf -> int
get_current_task_btf: -> btf? gpl
ktime_get_coarse_ns: -> int
check_mtu: ctx any u32p any any -> int gpl
for_each_map_elem: map func stk? any -> int
snprintf: umem? size0 str mem? size0 -> int gpl
timer_init: timer map any -> int gpl
timer_set_callback: timer func -> int gpl
timer_start: timer any any -> int gpl
timer_cancel: timer -> int gpl
task_pt_regs: btf -> btf? gpl
get_branch_snapshot: umem size0 -> int gpl
trace_vprintk: mem size mem? size0 -> int gpl
skc_to_unix_sock: sk -> btf?
find_vma: btf any func stk? any -> int
loop: any func stk? any -> int
strncmp: mem size str -> int
skb_set_tstamp: ctx any any -> int
kptr_xchg: btf btf -> btf?
map_lookup_percpu_elem: map key any -> value? pa
skc_to_mptcp_sock: sk -> btf?
dynptr_from_mem: umem size any udyn -> int
ringbuf_reserve_dynptr: map any any udyn -> int @${RINGBUF}
ringbuf_submit_dynptr: reldyn any -> void
ringbuf_discard_dynptr: reldyn any -> void
dynptr_read: umem size0 dyn any any -> int
dynptr_write: dyn any mem size0 any -> int
dynptr_data: dyn any asize -> dmem?
tcp_raw_gen_syncookie_ipv4: fix20 mem size0 -> int gpl pa
tcp_raw_gen_syncookie_ipv6: fix40 mem size0 -> int gpl pa
tcp_raw_check_syncookie_ipv4: fix20 fix20 -> int gpl pa
tcp_raw_check_syncookie_ipv6: fix40 fix20 -> int gpl pa
ktime_get_tai_ns: -> int
user_ringbuf_drain: map func stk? any -> int
cgrp_storage_get: map btf value? any -> value?
cgrp_storage_delete: map btf -> int
`;

function parse(): Map<number, HelperProto> {
  const out = new Map<number, HelperProto>();
  for (const line of TABLE.split('\n')) {
    const m = /^(\w+): *(.*?) *-> *(\S+)(.*)$/.exec(line.trim());
    if (!m) continue;
    const name = `bpf_${m[1]}` as HelperName;
    const id = HELPER_IDS[name];
    if (id === undefined) throw new Error(`helper-protos: unknown helper ${name}`);
    const flags = m[4].trim().split(/\s+/);
    const at = flags.find((f) => f.startsWith('@'));
    out.set(id, {
      id,
      name,
      args: m[2] ? (m[2].split(/\s+/) as ArgKind[]) : [],
      ret: m[3] as RetKind,
      gplOnly: flags.includes('gpl'),
      changesPktData: flags.includes('pkt'),
      acquires: flags.includes('acq'),
      pktAccess: flags.includes('pa'),
      mapTypes: at ? at.slice(1).split(',').map(Number) : undefined,
    });
  }
  return out;
}

/** Prototypes by helper id. */
export const HELPER_PROTOS: ReadonlyMap<number, HelperProto> = parse();

/** Helpers that may move packet data (bpf_helper_changes_pkt_data), for every program type. */
export const PKT_CHANGING_HELPER_IDS: ReadonlySet<number> = new Set(
  [...HELPER_PROTOS.values()].filter((p) => p.changesPktData).map((p) => p.id),
);

/** GPL-only helpers. */
export const GPL_ONLY_HELPER_IDS: ReadonlySet<number> = new Set([...HELPER_PROTOS.values()].filter((p) => p.gplOnly).map((p) => p.id));
