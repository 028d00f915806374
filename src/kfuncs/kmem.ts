/**
 * @fileoverview Reading "kernel memory" for kfuncs that take unchecked pointers (`__ign`
 * arguments: the string kfuncs, bpf_iter_bits_new), as copy_from_kernel_nofault does: a pointer
 * into a tcxlab region reads it; any other address is refused as the x86-64 kernel refuses it
 * (copy_from_kernel_nofault_allowed: the user half and non-canonical addresses give −ERANGE) or
 * faults (−EFAULT) [measured: test/goldens/kfuncs str_cases, bits_cases].
 */
import type { HelperCall } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';

/** TASK_SIZE_MAX + PAGE_SIZE on x86-64 with 4-level paging: the first address treated as kernel. */
const KERNEL_START = 0x0000_7fff_ffff_f000n + 4096n;

/** What reading an address tcxlab has no memory for gives: −ERANGE (user or non-canonical) or −EFAULT. */
export function unreadable(hi: number, lo: number): number {
  const u = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (u < KERNEL_START) return -ERRNO.ERANGE;
  // canonical (48-bit virtual addresses): bits 63..47 all ones in the kernel half
  if (u >> 47n !== 0x1ffffn) return -ERRNO.ERANGE;
  return -ERRNO.EFAULT;
}

/** copy_from_kernel_nofault(dst, (hi, lo), len): the bytes, or a negative errno. */
export function readKernel(c: HelperCall, hi: number, lo: number, len: number): Uint8Array | number {
  if (len === 0) return new Uint8Array(0);
  const v = c.mem.slice(hi, lo, len);
  if (v !== undefined) return v.slice();
  // Part of the range may be readable: the kernel would fault inside it (or refuse its start).
  return c.mem.slice(hi, lo, 1) === undefined ? unreadable(hi, lo) : -ERRNO.EFAULT;
}

/**
 * A byte reader for a string argument: `allowed` is copy_from_kernel_nofault_allowed's verdict on
 * the first byte (−ERANGE when refused), `at(i)` the i-th byte or undefined on a fault.
 */
export function kernelBytes(c: HelperCall, hi: number, lo: number): { allowed: boolean; at: (i: number) => number | undefined } {
  const first = c.mem.slice(hi, lo, 1);
  const allowed = first !== undefined || unreadable(hi, lo) !== -ERRNO.ERANGE;
  return {
    allowed,
    at: (i) => c.mem.slice(hi, (lo + i) | 0, 1)?.[0],
  };
}
