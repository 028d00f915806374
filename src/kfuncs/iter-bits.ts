/**
 * @fileoverview bpf_iter_bits_new/next/destroy (kernel/bpf/helpers.c): iterate over the set bits
 * of nr_words u64 words copied from an unchecked pointer at creation.
 *
 * The program's 16-byte struct bpf_iter_bits holds the kernel's bpf_iter_bits_kern:
 *
 *   0               8          12        16
 *   | bits / copy   | nr_bits  | bit     |
 *
 * One word is copied into the iterator itself, as the kernel does; longer masks live in a side
 * table keyed by the iterator's address (the kernel allocates them and keeps the pointer there).
 * next() returns a pointer to `bit`. Rules [measured: test/goldens/kfuncs bits_cases]: NULL or 0
 * words −EINVAL, more than 511 words −E2BIG; an unreadable mask is −EFAULT for one word and the
 * read's own error (−ERANGE or −EFAULT, ./kmem.ts) for more.
 */
import type { CalleeName } from '../helpers/args.js';
import type { KfuncFamily } from './family.js';
import type { Memory } from '../../vm/memory.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { argMem, setR0, setR0Ptr } from '../helpers/args.js';
import { readKernel } from './kmem.js';

/** BITS_ITER_NR_WORDS_MAX */
export const BITS_ITER_NR_WORDS_MAX = 511;

const masks = new WeakMap<Memory, Map<string, Uint8Array>>();
function table(mem: Memory): Map<string, Uint8Array> {
  let t = masks.get(mem);
  if (!t) masks.set(mem, (t = new Map()));
  return t;
}
const keyOf = (c: HelperCall): string => `${c.regs.hi[1]}:${c.regs.lo[1]}`;

function iter(c: HelperCall, name: CalleeName): DataView {
  const b = argMem(c, 1, 16, true, name);
  return new DataView(b.buffer, b.byteOffset, 16);
}

const iterBitsNew: HelperFn = (c) => {
  const it = iter(c, 'bpf_iter_bits_new');
  const words = c.regs.lo[3] >>> 0;
  table(c.mem).delete(keyOf(c));
  it.setBigUint64(0, 0n, true);
  it.setInt32(8, 0, true);
  it.setInt32(12, -1, true);
  if ((c.regs.lo[2] | c.regs.hi[2]) === 0 || words === 0) return setR0(c, -ERRNO.EINVAL);
  if (words > BITS_ITER_NR_WORDS_MAX) return setR0(c, -ERRNO.E2BIG);
  const got = readKernel(c, c.regs.hi[2], c.regs.lo[2], words * 8);
  if (typeof got === 'number') return setR0(c, words === 1 ? -ERRNO.EFAULT : got);
  if (words === 1) it.setBigUint64(0, new DataView(got.buffer).getBigUint64(0, true), true);
  else table(c.mem).set(keyOf(c), got);
  it.setInt32(8, words * 64, true);
  setR0(c, 0);
};

const iterBitsNext: HelperFn = (c) => {
  const it = iter(c, 'bpf_iter_bits_next');
  const nbits = it.getInt32(8, true);
  if (nbits <= 0) return setR0Ptr(c, 0, 0);
  const mask = nbits === 64 ? new Uint8Array(it.buffer, it.byteOffset, 8) : table(c.mem).get(keyOf(c));
  if (mask === undefined) return setR0Ptr(c, 0, 0);
  // find_next_bit from bit + 1
  for (let b = it.getInt32(12, true) + 1; b < nbits; b++) {
    if (mask[b >> 3] & (1 << (b & 7))) {
      it.setInt32(12, b, true);
      return setR0Ptr(c, c.regs.hi[1], (c.regs.lo[1] + 12) | 0);
    }
  }
  it.setInt32(8, 0, true);
  setR0Ptr(c, 0, 0);
};

const iterBitsDestroy: HelperFn = (c) => {
  iter(c, 'bpf_iter_bits_destroy');
  table(c.mem).delete(keyOf(c));
  setR0(c, 0);
};

export const iterBitsKfuncs = {
  bpf_iter_bits_new: iterBitsNew,
  bpf_iter_bits_next: iterBitsNext,
  bpf_iter_bits_destroy: iterBitsDestroy,
} satisfies KfuncFamily;
