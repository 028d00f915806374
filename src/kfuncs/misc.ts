/**
 * @fileoverview kfuncs with little or no runtime effect (kernel/bpf/helpers.c): casts, the
 * numeric iterator, and the RCU / preemption / IRQ section markers (their pairing is the
 * verifier's business; a single-threaded emulator has nothing to lock).
 * Kernel answers: test/goldens/kfuncs (iter_cases, misc_kfuncs).
 */
import type { CalleeName } from '../helpers/args.js';
import type { KfuncFamily } from './family.js';
import { Memory, type CtxAccess } from '../../vm/memory.js';
import type { HelperFn } from '../../vm/program.js';
import { BPF_MAX_LOOPS, ERRNO } from '../uapi.js';
import { argMem, helperFault, setR0, setR0Ptr } from '../helpers/args.js';
import { skbState } from '../helpers/skb-common.js';


/** The kernel struct sk_buff is not modelled: every access through bpf_cast_to_kern_ctx faults. */
const NO_KERN_SKB: CtxAccess = { load: () => false, store: () => false };

/**
 * bpf_cast_to_kern_ctx(ctx): the kernel returns the same address typed as struct sk_buff; tcxlab
 * hands out a separate region whose every access faults (the kernel sk_buff layout is not
 * modelled), so a program never reads __sk_buff bytes as sk_buff fields.
 */
const castToKernCtx: HelperFn = (c) => {
  const st = skbState(c, 'bpf_cast_to_kern_ctx');
  if (c.regs.hi[1] !== st.ctx.hi) throw helperFault(c, 'bpf_cast_to_kern_ctx', 'argument r1 is not the context');
  st.kernCtx ??= c.mem.alloc('ctx', new Uint8Array(0), { ctx: NO_KERN_SKB, label: 'struct sk_buff (not modelled)', writable: false });
  setR0Ptr(c, st.kernCtx.hi, Memory.lo(0));
};

/**
 * bpf_rdonly_cast(obj, btf_id): the same pointer (reads are the verifier's PROBE_MEM loads), with
 * the same provenance: casting does not make a forged address trusted.
 */
const rdonlyCast: HelperFn = (c) => {
  c.regs.lo[0] = c.regs.lo[1];
  c.regs.hi[0] = c.regs.hi[1];
  c.regs.tag[0] = c.regs.tag[1];
};

/** struct bpf_iter_num_kern { int cur; int end; } in the program's 8-byte bpf_iter_num. */
function iterView(c: Parameters<HelperFn>[0], name: CalleeName): DataView {
  const b = argMem(c, 1, 8, true, name);
  return new DataView(b.buffer, b.byteOffset, 8);
}

const iterNumNew: HelperFn = (c) => {
  const it = iterView(c, 'bpf_iter_num_new');
  const start = c.regs.lo[2] | 0;
  const end = c.regs.lo[3] | 0;
  let err = 0;
  if (start > end) err = -ERRNO.EINVAL;
  else if (end - start > BPF_MAX_LOOPS) err = -ERRNO.E2BIG;
  it.setInt32(0, err ? 0 : start - 1, true);
  it.setInt32(4, err ? 0 : end, true);
  setR0(c, err);
};

/** Next value: a pointer to `cur` inside the iterator, or NULL (and the iterator emptied) at the end. */
const iterNumNext: HelperFn = (c) => {
  const it = iterView(c, 'bpf_iter_num_next');
  const cur = it.getInt32(0, true);
  const end = it.getInt32(4, true);
  if (cur + 1 >= end) {
    it.setBigUint64(0, 0n, true);
    return setR0Ptr(c, 0, 0);
  }
  it.setInt32(0, cur + 1, true);
  setR0Ptr(c, c.regs.hi[1], c.regs.lo[1]);
};

const iterNumDestroy: HelperFn = (c) => {
  iterView(c, 'bpf_iter_num_destroy').setBigUint64(0, 0n, true);
  setR0(c, 0);
};

const noop: HelperFn = (c) => setR0(c, 0);

/** X86_EFLAGS_IF: what local_irq_save stores for a CPU with interrupts on (the verifier forbids reading it). */
const EFLAGS_IF = 0x200;
const irqSave: HelperFn = (c) => {
  const b = argMem(c, 1, 8, true, 'bpf_local_irq_save');
  new DataView(b.buffer, b.byteOffset, 8).setBigUint64(0, BigInt(EFLAGS_IF), true);
  setR0(c, 0);
};
const irqRestore: HelperFn = (c) => {
  argMem(c, 1, 8, false, 'bpf_local_irq_restore');
  setR0(c, 0);
};

/**
 * bpf_throw is an exceptional exit that the engines perform themselves (they intercept its id,
 * vm/kfuncs.ts BPF_THROW_ID); this entry only completes the table and is never reached by a run.
 */
const throwNotIntercepted: HelperFn = (c) => {
  throw helperFault(c, 'bpf_throw', 'reached as a call (the engines handle bpf_throw themselves)');
};

export const miscKfuncs = {
  bpf_cast_to_kern_ctx: castToKernCtx,
  bpf_rdonly_cast: rdonlyCast,
  bpf_iter_num_new: iterNumNew,
  bpf_iter_num_next: iterNumNext,
  bpf_iter_num_destroy: iterNumDestroy,
  bpf_rcu_read_lock: noop,
  bpf_rcu_read_unlock: noop,
  bpf_preempt_disable: noop,
  bpf_preempt_enable: noop,
  bpf_local_irq_save: irqSave,
  bpf_local_irq_restore: irqRestore,
  bpf_throw: throwNotIntercepted,
} satisfies KfuncFamily;
