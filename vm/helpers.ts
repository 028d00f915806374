/**
 * @fileoverview One record per BPF helper: the single declaration of every fact tcxlab knows
 * about a helper, read by the assembler/disassembler (names), the verifier (prototypes) and the
 * runtime (src/helpers/ keys its implementations by the records' ids; vm/ cannot import them).
 *
 * Ids and names: `enum bpf_func_id` (uapi include/uapi/linux/bpf.h, `___BPF_FUNC_MAPPER`) as of
 * Linux 6.18, where the list is frozen at 211 (new functionality comes as kfuncs, vm/kfuncs.ts).
 * Taken from the running 6.18 kernel's BTF with
 *   bpftool btf dump file /sys/kernel/btf/vmlinux format c | grep -E '^\s*(__)?BPF_FUNC_'
 * (recorded in test/goldens/text/bpf_func_id.vmlinux.txt, which test/vm/helpers.test.ts compares).
 *
 * Prototype (the kernel's `struct bpf_func_proto` of the helper, for sched_cls), one string
 * `args -> ret flags`; a helper without one is refused by the verifier ("program of this type
 * cannot use helper") and faults at run time. Exactly the helpers a sched_cls program may call
 * on 6.18 have one (`tc_cls_act_func_proto` → `bpf_sk_base_func_proto` → `bpf_base_func_proto`),
 * measured by loading a call to every id (docs/skb-and-helpers.md §3); ids 148 and 191 are in
 * the base set but refused as sleepable, so they have none.
 *
 * Argument kinds (ARG_* in include/linux/bpf.h):
 *   any     ARG_ANYTHING (initialised)           map     CONST_PTR_TO_MAP
 *   key     PTR_TO_MAP_KEY (key_size readable)   value   PTR_TO_MAP_VALUE (value_size readable)
 *   uval    PTR_TO_MAP_VALUE|MEM_UNINIT           ctx     PTR_TO_CTX   ctx?  PTR_TO_CTX_OR_NULL
 *   mem     PTR_TO_MEM|MEM_RDONLY (next arg is the size)   umem  PTR_TO_MEM|MEM_UNINIT (written)
 *   mem?    the same or NULL                       rwmem PTR_TO_MEM (read and written)
 *   size    ARG_CONST_SIZE                        size0 ARG_CONST_SIZE_OR_ZERO
 *   sk      PTR_TO_BTF_ID_SOCK_COMMON             skrel  the same, released (OBJ_RELEASE)
 *   skc     PTR_TO_SOCK_COMMON (socket pointers only, no BTF pointer)
 *   lock    PTR_TO_SPIN_LOCK                      timer PTR_TO_TIMER    func PTR_TO_FUNC
 *   stk?    PTR_TO_STACK_OR_NULL                  long  PTR_TO_LONG (8 bytes written)
 *   u32p    PTR_TO_FIXED_SIZE_MEM of 4 bytes (read and written)
 *   asize   ARG_CONST_ALLOC_SIZE_OR_ZERO          alloc PTR_TO_MEM|MEM_ALLOC released (ringbuf)
 *   str     PTR_TO_CONST_STR                      dyn   PTR_TO_DYNPTR (16 stack bytes)
 *   udyn    an uninitialised dynptr (MEM_UNINIT)   reldyn a dynptr released (OBJ_RELEASE)
 *   fix20 / fix40  PTR_TO_FIXED_SIZE_MEM of 20 / 40 bytes (read)
 *   btf     PTR_TO_BTF_ID of another type (not modelled: refused)
 * Return kinds: int, void, value?, sock?, skc?, tcp?, rbmem?, btf?, dmem?
 * Flags:
 *   gpl   gpl_only
 *   pkt   may change packet data (bpf_helper_changes_pkt_data): packet pointers die at the call
 *   acq   returns an acquired reference (RET_PTR_TO_*_OR_NULL with OBJ_ACQUIRE)
 *   pa    pkt_access: may be given packet pointers
 *   cast  returns its argument re-typed, carrying its reference (is_ptr_cast_function)
 *   @T,U  the map argument must be of one of these BPF_MAP_TYPE_* (the helper side of
 *         check_map_func_compatibility; the map side is the verifier's mapCompat)
 *   !socket_filter  not callable from socket filters (below)
 * Program types: every helper with a prototype may be called from sched_cls and sched_act
 * (measured), and from lwt_in/out/xmit and socket_filter, whose sets tcxlab approximates by the
 * tc set (socket filters without the helpers that change or redirect the packet); see README
 * "Differences from Linux".
 */
import { BPF_MAP_TYPE } from './uapi.js';

/** name: [id] or [id, prototype]. Keys in id order; the ids are checked consecutive below. */
const DECLS = {
  bpf_unspec: [0],
  bpf_map_lookup_elem: [1, 'map key -> value? pa'],
  bpf_map_update_elem: [2, 'map key value any -> int pa'],
  bpf_map_delete_elem: [3, 'map key -> int pa'],
  bpf_probe_read: [4],
  bpf_ktime_get_ns: [5, '-> int'],
  bpf_trace_printk: [6, 'mem size -> int gpl'],
  bpf_get_prandom_u32: [7, '-> int'],
  bpf_get_smp_processor_id: [8, '-> int'],
  bpf_skb_store_bytes: [9, 'ctx any mem size any -> int pkt !socket_filter'],
  bpf_l3_csum_replace: [10, 'ctx any any any any -> int pkt !socket_filter'],
  bpf_l4_csum_replace: [11, 'ctx any any any any -> int pkt !socket_filter'],
  bpf_tail_call: [12, 'ctx map any -> void pkt @PROG_ARRAY'],
  bpf_clone_redirect: [13, 'ctx any any -> int pkt !socket_filter'],
  bpf_get_current_pid_tgid: [14, '-> int'],
  bpf_get_current_uid_gid: [15, '-> int'],
  bpf_get_current_comm: [16, 'umem size -> int'],
  bpf_get_cgroup_classid: [17, 'ctx -> int'],
  bpf_skb_vlan_push: [18, 'ctx any any -> int pkt !socket_filter'],
  bpf_skb_vlan_pop: [19, 'ctx -> int pkt !socket_filter'],
  bpf_skb_get_tunnel_key: [20, 'ctx umem size any -> int'],
  bpf_skb_set_tunnel_key: [21, 'ctx mem size any -> int'],
  bpf_perf_event_read: [22, 'map any -> int gpl @PERF_EVENT_ARRAY'],
  bpf_redirect: [23, 'any any -> int !socket_filter'],
  bpf_get_route_realm: [24, 'ctx -> int'],
  bpf_perf_event_output: [25, 'ctx map any mem size0 -> int gpl @PERF_EVENT_ARRAY'],
  bpf_skb_load_bytes: [26, 'ctx any umem size -> int'],
  bpf_get_stackid: [27],
  bpf_csum_diff: [28, 'mem? size0 mem? size0 any -> int pa'],
  bpf_skb_get_tunnel_opt: [29, 'ctx umem size -> int'],
  bpf_skb_set_tunnel_opt: [30, 'ctx mem size -> int'],
  bpf_skb_change_proto: [31, 'ctx any any -> int pkt !socket_filter'],
  bpf_skb_change_type: [32, 'ctx any -> int'],
  bpf_skb_under_cgroup: [33, 'ctx map any -> int @CGROUP_ARRAY'],
  bpf_get_hash_recalc: [34, 'ctx -> int'],
  bpf_get_current_task: [35, '-> int gpl'],
  bpf_probe_write_user: [36],
  bpf_current_task_under_cgroup: [37, 'map any -> int @CGROUP_ARRAY'],
  bpf_skb_change_tail: [38, 'ctx any any -> int pkt !socket_filter'],
  bpf_skb_pull_data: [39, 'ctx any -> int pkt !socket_filter'],
  bpf_csum_update: [40, 'ctx any -> int'],
  bpf_set_hash_invalid: [41, 'ctx -> void'],
  bpf_get_numa_node_id: [42, '-> int'],
  bpf_skb_change_head: [43, 'ctx any any -> int pkt !socket_filter'],
  bpf_xdp_adjust_head: [44],
  bpf_probe_read_str: [45],
  bpf_get_socket_cookie: [46, 'ctx -> int'],
  bpf_get_socket_uid: [47, 'ctx -> int'],
  bpf_set_hash: [48, 'ctx any -> int'],
  bpf_setsockopt: [49],
  bpf_skb_adjust_room: [50, 'ctx any any any -> int pkt !socket_filter'],
  bpf_redirect_map: [51],
  bpf_sk_redirect_map: [52],
  bpf_sock_map_update: [53],
  bpf_xdp_adjust_meta: [54],
  bpf_perf_event_read_value: [55, 'map any umem size -> int gpl @PERF_EVENT_ARRAY'],
  bpf_perf_prog_read_value: [56],
  bpf_getsockopt: [57],
  bpf_override_return: [58],
  bpf_sock_ops_cb_flags_set: [59],
  bpf_msg_redirect_map: [60],
  bpf_msg_apply_bytes: [61],
  bpf_msg_cork_bytes: [62],
  bpf_msg_pull_data: [63],
  bpf_bind: [64],
  bpf_xdp_adjust_tail: [65],
  bpf_skb_get_xfrm_state: [66, 'ctx any umem size any -> int'],
  bpf_get_stack: [67],
  bpf_skb_load_bytes_relative: [68, 'ctx any umem size any -> int'],
  bpf_fib_lookup: [69, 'ctx rwmem size any -> int gpl'],
  bpf_sock_hash_update: [70],
  bpf_msg_redirect_hash: [71],
  bpf_sk_redirect_hash: [72],
  bpf_lwt_push_encap: [73],
  bpf_lwt_seg6_store_bytes: [74],
  bpf_lwt_seg6_adjust_srh: [75],
  bpf_lwt_seg6_action: [76],
  bpf_rc_repeat: [77],
  bpf_rc_keydown: [78],
  bpf_skb_cgroup_id: [79, 'ctx -> int'],
  bpf_get_current_cgroup_id: [80, '-> int'],
  bpf_get_local_storage: [81],
  bpf_sk_select_reuseport: [82],
  bpf_skb_ancestor_cgroup_id: [83, 'ctx any -> int'],
  bpf_sk_lookup_tcp: [84, 'ctx mem size0 any any -> sock? acq pa'],
  bpf_sk_lookup_udp: [85, 'ctx mem size0 any any -> sock? acq pa'],
  bpf_sk_release: [86, 'skrel -> int'],
  bpf_map_push_elem: [87, 'map value any -> int pa @QUEUE,STACK,BLOOM_FILTER'],
  bpf_map_pop_elem: [88, 'map uval -> int @QUEUE,STACK'],
  bpf_map_peek_elem: [89, 'map uval -> int @QUEUE,STACK,BLOOM_FILTER'],
  bpf_msg_push_data: [90],
  bpf_msg_pop_data: [91],
  bpf_rc_pointer_rel: [92],
  bpf_spin_lock: [93, 'lock -> void'],
  bpf_spin_unlock: [94, 'lock -> void'],
  bpf_sk_fullsock: [95, 'skc -> sock? cast'],
  bpf_tcp_sock: [96, 'skc -> tcp? cast'],
  bpf_skb_ecn_set_ce: [97, 'ctx -> int'],
  bpf_get_listener_sock: [98, 'skc -> sock?'],
  bpf_skc_lookup_tcp: [99, 'ctx mem size0 any any -> skc? acq pa'],
  bpf_tcp_check_syncookie: [100, 'sk mem size mem size -> int gpl pa'],
  bpf_sysctl_get_name: [101],
  bpf_sysctl_get_current_value: [102],
  bpf_sysctl_get_new_value: [103],
  bpf_sysctl_set_new_value: [104],
  bpf_strtol: [105, 'mem size any long -> int'],
  bpf_strtoul: [106, 'mem size any long -> int'],
  bpf_sk_storage_get: [107, 'map sk value? any -> value? @SK_STORAGE'],
  bpf_sk_storage_delete: [108, 'map sk -> int @SK_STORAGE'],
  bpf_send_signal: [109, 'any -> int'],
  bpf_tcp_gen_syncookie: [110, 'sk mem size mem size -> int gpl pa'],
  bpf_skb_output: [111],
  bpf_probe_read_user: [112, 'umem size0 any -> int gpl'],
  bpf_probe_read_kernel: [113, 'umem size0 any -> int gpl'],
  bpf_probe_read_user_str: [114, 'umem size0 any -> int gpl'],
  bpf_probe_read_kernel_str: [115, 'umem size0 any -> int gpl'],
  bpf_tcp_send_ack: [116],
  bpf_send_signal_thread: [117, 'any -> int'],
  bpf_jiffies64: [118, '-> int'],
  bpf_read_branch_records: [119],
  bpf_get_ns_current_pid_tgid: [120, 'any any umem size -> int'],
  bpf_xdp_output: [121],
  bpf_get_netns_cookie: [122, 'ctx? -> int'],
  bpf_get_current_ancestor_cgroup_id: [123, 'any -> int'],
  bpf_sk_assign: [124, 'ctx sk any -> int'],
  bpf_ktime_get_boot_ns: [125, '-> int'],
  bpf_seq_printf: [126],
  bpf_seq_write: [127],
  bpf_sk_cgroup_id: [128],
  bpf_sk_ancestor_cgroup_id: [129],
  bpf_ringbuf_output: [130, 'map mem size0 any -> int @RINGBUF'],
  bpf_ringbuf_reserve: [131, 'map asize any -> rbmem? acq @RINGBUF'],
  bpf_ringbuf_submit: [132, 'alloc any -> void'],
  bpf_ringbuf_discard: [133, 'alloc any -> void'],
  bpf_ringbuf_query: [134, 'map any -> int @RINGBUF'],
  bpf_csum_level: [135, 'ctx any -> int'],
  bpf_skc_to_tcp6_sock: [136, 'sk -> btf? cast'],
  bpf_skc_to_tcp_sock: [137, 'sk -> btf? cast'],
  bpf_skc_to_tcp_timewait_sock: [138, 'sk -> btf? cast'],
  bpf_skc_to_tcp_request_sock: [139, 'sk -> btf? cast'],
  bpf_skc_to_udp6_sock: [140, 'sk -> btf? cast'],
  bpf_get_task_stack: [141, 'btf umem size0 any -> int'],
  bpf_load_hdr_opt: [142],
  bpf_store_hdr_opt: [143],
  bpf_reserve_hdr_opt: [144],
  bpf_inode_storage_get: [145],
  bpf_inode_storage_delete: [146],
  bpf_d_path: [147],
  bpf_copy_from_user: [148],
  bpf_snprintf_btf: [149, 'rwmem size mem size any -> int'],
  bpf_seq_printf_btf: [150],
  bpf_skb_cgroup_classid: [151, 'ctx -> int'],
  bpf_redirect_neigh: [152, 'any mem? size0 any -> int !socket_filter'],
  bpf_per_cpu_ptr: [153, 'btf any -> dmem?'],
  bpf_this_cpu_ptr: [154, 'btf -> dmem?'],
  bpf_redirect_peer: [155, 'any any -> int !socket_filter'],
  bpf_task_storage_get: [156, 'map btf value? any -> value?'],
  bpf_task_storage_delete: [157, 'map btf -> int'],
  bpf_get_current_task_btf: [158, '-> btf? gpl'],
  bpf_bprm_opts_set: [159],
  bpf_ktime_get_coarse_ns: [160, '-> int'],
  bpf_ima_inode_hash: [161],
  bpf_sock_from_file: [162],
  bpf_check_mtu: [163, 'ctx any u32p any any -> int gpl'],
  bpf_for_each_map_elem: [164, 'map func stk? any -> int @HASH,ARRAY,PERCPU_HASH,PERCPU_ARRAY,LRU_HASH,LRU_PERCPU_HASH'],
  bpf_snprintf: [165, 'umem? size0 str mem? size0 -> int gpl'],
  bpf_sys_bpf: [166],
  bpf_btf_find_by_name_kind: [167],
  bpf_sys_close: [168],
  bpf_timer_init: [169, 'timer map any -> int gpl'],
  bpf_timer_set_callback: [170, 'timer func -> int gpl'],
  bpf_timer_start: [171, 'timer any any -> int gpl'],
  bpf_timer_cancel: [172, 'timer -> int gpl'],
  bpf_get_func_ip: [173],
  bpf_get_attach_cookie: [174],
  bpf_task_pt_regs: [175, 'btf -> btf? gpl'],
  bpf_get_branch_snapshot: [176, 'umem size0 -> int gpl'],
  bpf_trace_vprintk: [177, 'mem size mem? size0 -> int gpl'],
  bpf_skc_to_unix_sock: [178, 'sk -> btf? cast'],
  bpf_kallsyms_lookup_name: [179],
  bpf_find_vma: [180, 'btf any func stk? any -> int'],
  bpf_loop: [181, 'any func stk? any -> int'],
  bpf_strncmp: [182, 'mem size str -> int'],
  bpf_get_func_arg: [183],
  bpf_get_func_ret: [184],
  bpf_get_func_arg_cnt: [185],
  bpf_get_retval: [186],
  bpf_set_retval: [187],
  bpf_xdp_get_buff_len: [188],
  bpf_xdp_load_bytes: [189],
  bpf_xdp_store_bytes: [190],
  bpf_copy_from_user_task: [191],
  bpf_skb_set_tstamp: [192, 'ctx any any -> int'],
  bpf_ima_file_hash: [193],
  bpf_kptr_xchg: [194, 'btf btf -> btf?'],
  bpf_map_lookup_percpu_elem: [195, 'map key any -> value? pa @PERCPU_ARRAY,PERCPU_HASH,LRU_PERCPU_HASH'],
  bpf_skc_to_mptcp_sock: [196, 'skc -> btf? cast'],
  bpf_dynptr_from_mem: [197, 'umem size any udyn -> int'],
  bpf_ringbuf_reserve_dynptr: [198, 'map any any udyn -> int @RINGBUF'],
  bpf_ringbuf_submit_dynptr: [199, 'reldyn any -> void'],
  bpf_ringbuf_discard_dynptr: [200, 'reldyn any -> void'],
  bpf_dynptr_read: [201, 'umem size0 dyn any any -> int'],
  bpf_dynptr_write: [202, 'dyn any mem size0 any -> int'],
  bpf_dynptr_data: [203, 'dyn any asize -> dmem?'],
  bpf_tcp_raw_gen_syncookie_ipv4: [204, 'fix20 mem size0 -> int gpl pa'],
  bpf_tcp_raw_gen_syncookie_ipv6: [205, 'fix40 mem size0 -> int gpl pa'],
  bpf_tcp_raw_check_syncookie_ipv4: [206, 'fix20 fix20 -> int gpl pa'],
  bpf_tcp_raw_check_syncookie_ipv6: [207, 'fix40 fix20 -> int gpl pa'],
  bpf_ktime_get_tai_ns: [208, '-> int'],
  bpf_user_ringbuf_drain: [209, 'map func stk? any -> int'],
  bpf_cgrp_storage_get: [210, 'map btf value? any -> value?'],
  bpf_cgrp_storage_delete: [211, 'map btf -> int'],
} as const satisfies Record<string, readonly [number] | readonly [number, string]>;

/** A helper name known to this kernel version (with the `bpf_` prefix, as in bpf_helper_defs.h). */
export type HelperName = keyof typeof DECLS;

const ARG_KINDS = [
  'any', 'map', 'key', 'value', 'uval', 'ctx', 'ctx?', 'mem', 'umem', 'mem?', 'umem?', 'rwmem', 'size', 'size0', 'sk',
  'skc', 'skrel', 'lock', 'timer', 'func', 'stk?', 'long', 'u32p', 'asize', 'alloc', 'str', 'dyn', 'udyn', 'reldyn', 'btf',
  'value?', 'fix20', 'fix40',
] as const;
const RET_KINDS = ['int', 'void', 'value?', 'sock?', 'skc?', 'tcp?', 'rbmem?', 'btf?', 'dmem?'] as const;
/** An argument kind (table in the file comment). */
export type ArgKind = (typeof ARG_KINDS)[number];
/** A return kind. */
export type RetKind = (typeof RET_KINDS)[number];

const PROG_TYPES = ['sched_cls', 'sched_act', 'socket_filter', 'lwt_in', 'lwt_out', 'lwt_xmit'] as const;
/** The program types whose helper sets tcxlab models (kernel bpf_prog_type names, lower case). */
export type HelperProgType = (typeof PROG_TYPES)[number];

/** A helper's prototype as the verifier sees it (struct bpf_func_proto). */
export interface HelperProto {
  /** The record's id and name, so the verifier's messages can name the helper. */
  readonly id: number;
  readonly name: HelperName;
  readonly args: readonly ArgKind[];
  readonly ret: RetKind;
  readonly gplOnly: boolean;
  readonly changesPktData: boolean;
  readonly acquires: boolean;
  /** May be passed packet pointers (bpf_func_proto.pkt_access). */
  readonly pktAccess: boolean;
  /** Returns its argument re-typed, keeping its reference (is_ptr_cast_function). */
  readonly ptrCast: boolean;
  /** Map types accepted for the `map` argument (check_map_func_compatibility), when restricted. */
  readonly mapTypes?: readonly number[];
  /** Program types that may call it. */
  readonly progTypes: ReadonlySet<HelperProgType>;
}

/** One helper. */
export interface HelperRecord {
  readonly id: number;
  readonly name: HelperName;
  /** undefined: no program type tcxlab models may call it. */
  readonly proto?: HelperProto;
}

/** The flags of a prototype string: the boolean ones, and `!T` for each program type T. */
const FLAGS: ReadonlySet<string> = new Set(['gpl', 'pkt', 'acq', 'pa', 'cast', ...PROG_TYPES.map((t) => `!${t}`)]);

/** Parse one prototype string; a malformed one is a bug in the table above, so it throws at load. */
function parseProto(id: number, name: HelperName, text: string): HelperProto {
  const m = /^(.*?) *-> *(\S+)(.*)$/.exec(text);
  if (!m || !(RET_KINDS as readonly string[]).includes(m[2])) throw new Error(`helpers: bad prototype of ${name}: ${text}`);
  const args = m[1] ? m[1].split(/\s+/) : [];
  for (const a of args) if (!(ARG_KINDS as readonly string[]).includes(a)) throw new Error(`helpers: bad argument kind ${a} of ${name}`);
  const flags = m[3].trim() ? m[3].trim().split(/\s+/) : [];
  let mapTypes: number[] | undefined;
  for (const f of flags) {
    if (f.startsWith('@')) {
      mapTypes = f.slice(1).split(',').map((t) => {
        const n = (BPF_MAP_TYPE as Record<string, number>)[`BPF_MAP_TYPE_${t}`];
        if (n === undefined) throw new Error(`helpers: unknown map type ${t} of ${name}`);
        return n;
      });
    } else if (!FLAGS.has(f)) throw new Error(`helpers: unknown flag ${f} of ${name}`);
  }
  return {
    id,
    name,
    args: args as ArgKind[],
    ret: m[2] as RetKind,
    gplOnly: flags.includes('gpl'),
    changesPktData: flags.includes('pkt'),
    acquires: flags.includes('acq'),
    pktAccess: flags.includes('pa'),
    ptrCast: flags.includes('cast'),
    mapTypes,
    progTypes: new Set(PROG_TYPES.filter((t) => !flags.includes(`!${t}`))),
  };
}

/** Every helper, indexed by id. */
export const HELPERS: readonly HelperRecord[] = (Object.entries(DECLS) as [HelperName, readonly [number] | readonly [number, string]][]).map(
  ([name, decl], index) => {
    const id = decl[0];
    if (id !== index) throw new Error(`helpers: ${name} has id ${id} at position ${index}`);
    return decl.length === 2 ? { id, name, proto: parseProto(id, name, decl[1]) } : { id, name };
  },
);

/** `__BPF_FUNC_MAX_ID`: one past the highest helper id. */
export const BPF_FUNC_MAX_ID = HELPERS.length;

/** Helper name → id (`BPF_FUNC_*`), typed: `HELPER_IDS.bpf_redirect` is 23. */
export const HELPER_IDS: { readonly [K in HelperName]: (typeof DECLS)[K][0] } = Object.freeze(
  Object.fromEntries(HELPERS.map((h) => [h.name, h.id])),
) as { readonly [K in HelperName]: (typeof DECLS)[K][0] };

/** Prototypes by helper id (the helpers some modelled program type may call). */
export const HELPER_PROTOS: ReadonlyMap<number, HelperProto> = new Map(
  HELPERS.flatMap((h) => (h.proto ? [[h.id, h.proto] as const] : [])),
);

/** The name of helper `id` (`bpf_map_lookup_elem` for 1), or undefined when there is no such id. */
export function helperName(id: number): HelperName | undefined {
  return Number.isInteger(id) && id >= 0 && id < HELPERS.length ? HELPERS[id].name : undefined;
}

/** The id of helper `name`; accepts `bpf_x`, `x` and `BPF_FUNC_x`. Undefined when unknown. */
export function helperId(name: string): number | undefined {
  const base = name.startsWith('BPF_FUNC_') ? name.slice(9) : name.startsWith('bpf_') ? name.slice(4) : name;
  const key = `bpf_${base}`;
  return Object.prototype.hasOwnProperty.call(HELPER_IDS, key) ? HELPER_IDS[key as HelperName] : undefined;
}

/** Whether a program of type `progType` may call helper `id` (its get_func_proto returns one). */
export function helperCallableFrom(id: number, progType: HelperProgType): boolean {
  return HELPER_PROTOS.get(id)?.progTypes.has(progType) === true;
}
