/**
 * @fileoverview The kfuncs a sched_cls program may call that tcxlab implements: one declarative
 * record per kfunc, read by the loader (name resolution and the libbpf prototype check), the
 * verifier (which ids exist, argument kinds, flags) and the runtime (src/kfuncs/ keys its
 * implementations by the same record). The single source of truth for kfunc facts in tcxlab.
 *
 * - `id` is tcxlab's own stable number, the imm of a `call` with src = BPF_PSEUDO_KFUNC_CALL in
 *   linked code. It is NOT the kernel's BTF id (those change with every kernel build).
 * - `proto` is the kernel's BTF prototype, rendered C-like from the running 6.18 kernel's BTF
 *   (test/goldens/kfuncs/kfunc-protos.json, recorded by record-protos.py; a test compares).
 * - `flags` are the kernel's KF_* bits from its BTF_ID_FLAGS sets (kernel/bpf/helpers.c
 *   common_btf_ids, net/core/filter.c bpf_kfunc_check_set_skb / _tcp_reqsk); BTF does not
 *   carry them, so they were read from the kernel source (docs/kfuncs.md).
 * - `args` classify each parameter the way the kernel's check_kfunc_args does from the parameter
 *   type and name suffix (__uninit, __opt, __szk, __k, __ign, __irq_flag), for a verifier to use.
 * - `set` is the kernel id set that makes the kfunc callable from sched_cls: 'common' (every
 *   program type), 'skb' (skb program types), 'skb_meta' and 'tcp_reqsk' (sched_cls only).
 *   Kfuncs newer than the 6.12 sources (bpf_dynptr_copy, _memset, _from_skb_meta, the string
 *   kfuncs) were checked callable from sched_cls on the recording kernel (test/goldens/kfuncs).
 */

/** KF_* flags (include/linux/btf.h). */
export const KF = {
  ACQUIRE: 1 << 0,
  RELEASE: 1 << 1,
  RET_NULL: 1 << 2,
  TRUSTED_ARGS: 1 << 4,
  SLEEPABLE: 1 << 5,
  DESTRUCTIVE: 1 << 6,
  RCU: 1 << 7,
  ITER_NEW: 1 << 8,
  ITER_NEXT: 1 << 9,
  ITER_DESTROY: 1 << 10,
  RCU_PROTECTED: 1 << 11,
} as const;

/** How the verifier must see one argument register (kernel: enum kfunc_ptr_arg_type and scalars). */
export type KfuncArg =
  /** A scalar; `const`: must be a known constant (name suffix __k). */
  | { readonly kind: 'scalar'; readonly const?: boolean }
  /** The program's context (struct __sk_buff *): KF_ARG_PTR_TO_CTX. */
  | { readonly kind: 'ctx' }
  /**
   * A struct bpf_dynptr on the stack: KF_ARG_PTR_TO_DYNPTR. `uninit`: the kfunc initialises it
   * (__uninit), otherwise it must hold an initialised dynptr; `const`: read only (const pointer);
   * `pkt`: the dynptr it initialises covers packet data (DYNPTR_TYPE_SKB, _SKB_META), so writes
   * through it change packet data.
   */
  | { readonly kind: 'dynptr'; readonly uninit?: boolean; readonly const?: boolean; readonly pkt?: boolean }
  /** A struct bpf_iter_<name> on the stack: KF_ARG_PTR_TO_ITER, in the state the flags imply. */
  | { readonly kind: 'iter'; readonly iter: 'num' | 'bits' }
  /** Memory of `sizeArg`'s constant size, or NULL when `nullable` (buffer__opt with buffer__szk). */
  | { readonly kind: 'mem'; readonly sizeArg: number; readonly nullable?: boolean }
  /** The size of a `mem` argument (__sz; `const`: a known constant, __szk). */
  | { readonly kind: 'mem_size'; readonly const?: boolean }
  /** A pointer to a kernel object of BTF type `struct` (PTR_TO_BTF_ID; trusted with KF_TRUSTED_ARGS). */
  | { readonly kind: 'btf_id'; readonly struct: string }
  /** A pointer to a plain struct in program memory (stack or map value) of `size` bytes. */
  | { readonly kind: 'struct_mem'; readonly struct: string; readonly size: number }
  /** Any value, not checked (__ign). */
  | { readonly kind: 'any' }
  /** An unsigned long on the stack for the saved IRQ flags (__irq_flag). */
  | { readonly kind: 'irq_flag' };

/** What r0 holds after the call. */
export type KfuncRet =
  | { readonly kind: 'void' }
  | { readonly kind: 'scalar' }
  /** PTR_TO_MEM of the size given by argument `sizeArg` (dynptr slices); NULL with KF_RET_NULL. */
  | { readonly kind: 'mem'; readonly sizeArg: number; readonly rdonly: boolean }
  /** The context argument re-typed as the kernel object (bpf_cast_to_kern_ctx: struct sk_buff). */
  | { readonly kind: 'kern_ctx'; readonly struct: string }
  /** An untrusted read-only pointer to the BTF type given by a constant argument (bpf_rdonly_cast). */
  | { readonly kind: 'rdonly_cast' }
  /** A pointer to the iterator's current int (bpf_iter_num_next, bpf_iter_bits_next), NULL at the end. */
  | { readonly kind: 'iter_int' };

/** The kernel's BTF prototype, C-like (types as the kernel's BTF names them). */
export interface KfuncProto {
  readonly ret: string;
  readonly params: readonly (readonly [name: string, type: string])[];
}

/** One kfunc tcxlab implements. */
export interface KfuncRecord {
  /** tcxlab kfunc id (imm of the call). */
  readonly id: number;
  readonly name: string;
  readonly proto: KfuncProto;
  readonly args: readonly KfuncArg[];
  readonly ret: KfuncRet;
  /** KF_* bits. */
  readonly flags: number;
  readonly set: 'common' | 'skb' | 'skb_meta' | 'tcp_reqsk';
  /**
   * The recording 6.18 kernel refuses every program that calls this kfunc, with EPERM and this
   * verifier message [measured: test/goldens/kfuncs/refused.out.json]. tcxlab implements it all
   * the same; Collection refuses it unless told otherwise (CollectionOptions.kernelRefusedKfuncs).
   */
  readonly kernelRefuses?: string;
}

const DYNPTR = 'struct bpf_dynptr *';
const CDYNPTR = 'const struct bpf_dynptr *';
const dyn = { kind: 'dynptr', const: true } as const;
const dynRw = { kind: 'dynptr' } as const;
const scalar = { kind: 'scalar' } as const;
const iterNum = { kind: 'iter', iter: 'num' } as const;
const VOID = { kind: 'void' } as const;
const iterBits = { kind: 'iter', iter: 'bits' } as const;
const CSTR = 'const char *';

/** A string kfunc: `__ign` pointers are not checked, the others are scalars; returns an int. */
function strKfunc<N extends string>(id: number, name: N, params: [string, string][]): KfuncRecord & { readonly name: N } {
  const args: KfuncArg[] = params.map(([n]) => (n.endsWith('__ign') ? { kind: 'any' } : { kind: 'scalar' }));
  return { id, name, proto: { ret: 'int', params }, args, ret: { kind: 'scalar' }, flags: 0, set: 'common' };
}
const SCALAR = { kind: 'scalar' } as const;

/** Every implemented kfunc. Ids are stable: append, never renumber. */
const KFUNC_LIST = [
  {
    id: 1,
    name: 'bpf_dynptr_from_skb',
    proto: { ret: 'int', params: [['s', 'struct __sk_buff *'], ['flags', 'u64'], ['ptr__uninit', DYNPTR]] },
    args: [{ kind: 'ctx' }, scalar, { kind: 'dynptr', uninit: true, pkt: true }],
    ret: SCALAR,
    flags: KF.TRUSTED_ARGS,
    set: 'skb',
  },
  {
    id: 2,
    name: 'bpf_dynptr_slice',
    proto: { ret: 'void *', params: [['p', CDYNPTR], ['offset', 'u32'], ['buffer__opt', 'void *'], ['buffer__szk', 'u32']] },
    args: [dyn, scalar, { kind: 'mem', sizeArg: 3, nullable: true }, { kind: 'mem_size', const: true }],
    ret: { kind: 'mem', sizeArg: 3, rdonly: true },
    flags: KF.RET_NULL,
    set: 'common',
  },
  {
    id: 3,
    name: 'bpf_dynptr_slice_rdwr',
    proto: { ret: 'void *', params: [['p', CDYNPTR], ['offset', 'u32'], ['buffer__opt', 'void *'], ['buffer__szk', 'u32']] },
    args: [dyn, scalar, { kind: 'mem', sizeArg: 3, nullable: true }, { kind: 'mem_size', const: true }],
    ret: { kind: 'mem', sizeArg: 3, rdonly: false },
    flags: KF.RET_NULL,
    set: 'common',
    kernelRefuses: 'bpf_dynptr_slice_rdwr() is not allowed',
  },
  {
    id: 4,
    name: 'bpf_dynptr_adjust',
    proto: { ret: 'int', params: [['p', CDYNPTR], ['start', 'u32'], ['end', 'u32']] },
    args: [dyn, scalar, scalar],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 5,
    name: 'bpf_dynptr_is_null',
    proto: { ret: 'bool', params: [['p', CDYNPTR]] },
    args: [dyn],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 6,
    name: 'bpf_dynptr_is_rdonly',
    proto: { ret: 'bool', params: [['p', CDYNPTR]] },
    args: [dyn],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 7,
    name: 'bpf_dynptr_size',
    proto: { ret: '__u32', params: [['p', CDYNPTR]] },
    args: [dyn],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 8,
    name: 'bpf_dynptr_clone',
    proto: { ret: 'int', params: [['p', CDYNPTR], ['clone__uninit', DYNPTR]] },
    args: [dyn, { kind: 'dynptr', uninit: true }],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 9,
    name: 'bpf_dynptr_copy',
    proto: {
      ret: 'int',
      params: [['dst_ptr', DYNPTR], ['dst_off', 'u32'], ['src_ptr', DYNPTR], ['src_off', 'u32'], ['size', 'u32']],
    },
    args: [dynRw, scalar, dynRw, scalar, scalar],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 10,
    name: 'bpf_dynptr_memset',
    proto: { ret: 'int', params: [['p', DYNPTR], ['offset', 'u32'], ['size', 'u32'], ['val', 'u8']] },
    args: [dynRw, scalar, scalar, scalar],
    ret: SCALAR,
    flags: 0,
    set: 'common',
  },
  {
    id: 11,
    name: 'bpf_cast_to_kern_ctx',
    proto: { ret: 'void *', params: [['obj', 'void *']] },
    args: [{ kind: 'ctx' }],
    ret: { kind: 'kern_ctx', struct: 'sk_buff' },
    flags: 0,
    set: 'common',
  },
  {
    id: 12,
    name: 'bpf_rdonly_cast',
    proto: { ret: 'void *', params: [['obj__ign', 'const void *'], ['btf_id__k', 'u32']] },
    args: [{ kind: 'any' }, { kind: 'scalar', const: true }],
    ret: { kind: 'rdonly_cast' },
    flags: 0,
    set: 'common',
  },
  {
    id: 13,
    name: 'bpf_iter_num_new',
    proto: { ret: 'int', params: [['it', 'struct bpf_iter_num *'], ['start', 'int'], ['end', 'int']] },
    args: [iterNum, scalar, scalar],
    ret: SCALAR,
    flags: KF.ITER_NEW,
    set: 'common',
  },
  {
    id: 14,
    name: 'bpf_iter_num_next',
    proto: { ret: 'int *', params: [['it', 'struct bpf_iter_num *']] },
    args: [iterNum],
    ret: { kind: 'iter_int' },
    flags: KF.ITER_NEXT | KF.RET_NULL,
    set: 'common',
  },
  {
    id: 15,
    name: 'bpf_iter_num_destroy',
    proto: { ret: 'void', params: [['it', 'struct bpf_iter_num *']] },
    args: [iterNum],
    ret: VOID,
    flags: KF.ITER_DESTROY,
    set: 'common',
  },
  { id: 16, name: 'bpf_rcu_read_lock', proto: { ret: 'void', params: [] }, args: [], ret: VOID, flags: 0, set: 'common' },
  { id: 17, name: 'bpf_rcu_read_unlock', proto: { ret: 'void', params: [] }, args: [], ret: VOID, flags: 0, set: 'common' },
  { id: 18, name: 'bpf_preempt_disable', proto: { ret: 'void', params: [] }, args: [], ret: VOID, flags: 0, set: 'common' },
  { id: 19, name: 'bpf_preempt_enable', proto: { ret: 'void', params: [] }, args: [], ret: VOID, flags: 0, set: 'common' },
  {
    id: 20,
    name: 'bpf_local_irq_save',
    proto: { ret: 'void', params: [['flags__irq_flag', 'long unsigned int *']] },
    args: [{ kind: 'irq_flag' }],
    ret: VOID,
    flags: 0,
    set: 'common',
  },
  {
    id: 21,
    name: 'bpf_local_irq_restore',
    proto: { ret: 'void', params: [['flags__irq_flag', 'long unsigned int *']] },
    args: [{ kind: 'irq_flag' }],
    ret: VOID,
    flags: 0,
    set: 'common',
  },
  {
    id: 22,
    name: 'bpf_sk_assign_tcp_reqsk',
    proto: {
      ret: 'int',
      params: [['s', 'struct __sk_buff *'], ['sk', 'struct sock *'], ['attrs', 'struct bpf_tcp_req_attrs *'], ['attrs__sz', 'int']],
    },
    args: [{ kind: 'ctx' }, { kind: 'btf_id', struct: 'sock' }, { kind: 'mem', sizeArg: 3 }, { kind: 'mem_size' }],
    ret: SCALAR,
    flags: KF.TRUSTED_ARGS,
    set: 'tcp_reqsk',
  },
  {
    id: 23,
    name: 'bpf_dynptr_from_skb_meta',
    proto: { ret: 'int', params: [['skb_', 'struct __sk_buff *'], ['flags', 'u64'], ['ptr__uninit', DYNPTR]] },
    args: [{ kind: 'ctx' }, scalar, { kind: 'dynptr', uninit: true, pkt: true }],
    ret: SCALAR,
    flags: KF.TRUSTED_ARGS,
    set: 'skb_meta',
  },
  {
    id: 24,
    name: 'bpf_iter_bits_new',
    proto: { ret: 'int', params: [['it', 'struct bpf_iter_bits *'], ['unsafe_ptr__ign', 'const u64 *'], ['nr_words', 'u32']] },
    args: [iterBits, { kind: 'any' }, scalar],
    ret: SCALAR,
    flags: KF.ITER_NEW,
    set: 'common',
  },
  {
    id: 25,
    name: 'bpf_iter_bits_next',
    proto: { ret: 'int *', params: [['it', 'struct bpf_iter_bits *']] },
    args: [iterBits],
    ret: { kind: 'iter_int' },
    flags: KF.ITER_NEXT | KF.RET_NULL,
    set: 'common',
  },
  {
    id: 26,
    name: 'bpf_iter_bits_destroy',
    proto: { ret: 'void', params: [['it', 'struct bpf_iter_bits *']] },
    args: [iterBits],
    ret: VOID,
    flags: KF.ITER_DESTROY,
    set: 'common',
  },
  strKfunc(27, 'bpf_strcmp', [['s1__ign', CSTR], ['s2__ign', CSTR]]),
  strKfunc(28, 'bpf_strcasecmp', [['s1__ign', CSTR], ['s2__ign', CSTR]]),
  strKfunc(29, 'bpf_strchr', [['s__ign', CSTR], ['c', 'char']]),
  strKfunc(30, 'bpf_strchrnul', [['s__ign', CSTR], ['c', 'char']]),
  strKfunc(31, 'bpf_strnchr', [['s__ign', CSTR], ['count', 'size_t'], ['c', 'char']]),
  strKfunc(32, 'bpf_strrchr', [['s__ign', CSTR], ['c', 'int']]),
  strKfunc(33, 'bpf_strlen', [['s__ign', CSTR]]),
  strKfunc(34, 'bpf_strnlen', [['s__ign', CSTR], ['count', 'size_t']]),
  strKfunc(35, 'bpf_strspn', [['s__ign', CSTR], ['accept__ign', CSTR]]),
  strKfunc(36, 'bpf_strcspn', [['s__ign', CSTR], ['reject__ign', CSTR]]),
  strKfunc(37, 'bpf_strstr', [['s1__ign', CSTR], ['s2__ign', CSTR]]),
  strKfunc(38, 'bpf_strnstr', [['s1__ign', CSTR], ['s2__ign', CSTR], ['len', 'size_t']]),
  // Does not return: the engines unwind every frame of the program and run its exception
  // callback (docs/exceptions.md); no implementation in src/kfuncs/ is ever called.
  { id: 39, name: 'bpf_throw', proto: { ret: 'void', params: [['cookie', 'u64']] }, args: [scalar], ret: VOID, flags: 0, set: 'common' },
] as const satisfies readonly KfuncRecord[];

/** The name of a kfunc tcxlab implements (src/kfuncs/ keys its implementations by it). */
export type KfuncName = (typeof KFUNC_LIST)[number]['name'];

/** Every implemented kfunc, in id order. */
export const KFUNC_RECORDS: readonly (KfuncRecord & { readonly name: KfuncName })[] = KFUNC_LIST;

/** Records by kernel name. */
export const KFUNCS_BY_NAME: ReadonlyMap<string, KfuncRecord> = new Map(KFUNC_RECORDS.map((k) => [k.name, k]));
/** Records by tcxlab id. */
export const KFUNCS_BY_ID: ReadonlyMap<number, KfuncRecord> = new Map(KFUNC_RECORDS.map((k) => [k.id, k]));

/** Whether kfunc `rec` makes a dynptr over packet data (bpf_dynptr_from_skb and _skb_meta). */
export const makesPktDynptr = (rec: KfuncRecord): boolean => rec.args.some((a) => a.kind === 'dynptr' && a.uninit === true && a.pkt === true);

/** tcxlab id of bpf_throw, which the engines handle themselves (an exceptional exit, not a call). */
export const BPF_THROW_ID: number = (KFUNCS_BY_NAME.get('bpf_throw') as KfuncRecord).id;

/** Whether `id` is an implemented kfunc. */
export const isKfuncId = (id: number): boolean => KFUNCS_BY_ID.has(id);

/**
 * The verifier's answer for a call to kfunc `id` from sched_cls: undefined when allowed, else the
 * kernel's message (`kernel btf_id N is not a function` for an unknown id, as the kernel says of a
 * BTF id that names no function; the measured refusal for `kernelRefuses` records unless `allowRefused`).
 */
export function kfuncCallRefusal(id: number, allowRefused = false): string | undefined {
  // imm 0: an unresolved __weak kfunc. The kernel skips it here (add_subprog_and_kfunc) and refuses
  // it only if dead-code elimination leaves it reachable, which the verifier-lite cannot tell: the
  // call faults (unknown kfunc) if a run ever reaches it.
  if (id === 0) return undefined;
  const r = KFUNCS_BY_ID.get(id);
  if (r === undefined) return `kernel btf_id ${id} is not a function`;
  if (r.kernelRefuses !== undefined && !allowRefused) return r.kernelRefuses;
  return undefined;
}
