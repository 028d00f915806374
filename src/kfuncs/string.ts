/**
 * @fileoverview The string kfuncs of Linux 6.18 (kernel/bpf/helpers.c): bpf_strcmp, strcasecmp,
 * strchr, strchrnul, strnchr, strrchr, strlen, strnlen, strspn, strcspn, strstr, strnstr. Their
 * pointers are unchecked (`__ign`) and read byte by byte as kernel memory (./kmem.ts); characters
 * are unsigned (the kernel is built with -funsigned-char); no string is followed past
 * XATTR_SIZE_MAX bytes (−E2BIG). Results are indexes or −ENOENT / −EFAULT / −E2BIG / −ERANGE
 * [measured: test/goldens/kfuncs str_cases, str_long].
 */
import type { KfuncFamily } from './family.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { setR0 } from '../helpers/args.js';
import { kernelBytes } from './kmem.js';

/** XATTR_SIZE_MAX: the longest string a string kfunc walks. */
export const XATTR_SIZE_MAX = 65536;

/** A string argument: its bytes through `at`, or the errno of a refused address. */
function str(c: HelperCall, n: number): { ok: boolean; at: (i: number) => number | undefined } {
  const k = kernelBytes(c, c.regs.hi[n], c.regs.lo[n]);
  return { ok: k.allowed, at: k.at };
}

/** The kernel's tolower (lib/ctype.c): ASCII and ISO-8859-1 upper case letters. */
function lower(ch: number): number {
  if ((ch >= 0x41 && ch <= 0x5a) || (ch >= 0xc0 && ch <= 0xde && ch !== 0xd7)) return ch + 0x20;
  return ch;
}

/** A u64 count argument clamped to a JS number. */
const count = (c: HelperCall, n: number): number => (c.regs.hi[n] !== 0 ? Number.MAX_SAFE_INTEGER : c.regs.lo[n] >>> 0);

function strncasecmp(c: HelperCall, ignoreCase: boolean): number {
  const a = str(c, 1);
  const b = str(c, 2);
  if (!a.ok || !b.ok) return -ERRNO.ERANGE;
  for (let i = 0; i < XATTR_SIZE_MAX; i++) {
    let c1 = a.at(i);
    let c2 = b.at(i);
    if (c1 === undefined || c2 === undefined) return -ERRNO.EFAULT;
    if (ignoreCase) {
      c1 = lower(c1);
      c2 = lower(c2);
    }
    if (c1 !== c2) return c1 < c2 ? -1 : 1;
    if (c1 === 0) return 0;
  }
  return -ERRNO.E2BIG;
}

function strnchr(c: HelperCall, max: number, ch: number): number {
  const s = str(c, 1);
  if (!s.ok) return -ERRNO.ERANGE;
  let i = 0;
  for (; i < max && i < XATTR_SIZE_MAX; i++) {
    const sc = s.at(i);
    if (sc === undefined) return -ERRNO.EFAULT;
    if (sc === ch) return i;
    if (sc === 0) return -ERRNO.ENOENT;
  }
  return i === XATTR_SIZE_MAX ? -ERRNO.E2BIG : -ERRNO.ENOENT;
}

function strnlen(c: HelperCall, max: number): number {
  const s = str(c, 1);
  if (!s.ok) return -ERRNO.ERANGE;
  let i = 0;
  for (; i < max && i < XATTR_SIZE_MAX; i++) {
    const sc = s.at(i);
    if (sc === undefined) return -ERRNO.EFAULT;
    if (sc === 0) return i;
  }
  return i === XATTR_SIZE_MAX ? -ERRNO.E2BIG : i;
}

const strchrnul: HelperFn = (c) => {
  const s = str(c, 1);
  if (!s.ok) return setR0(c, -ERRNO.ERANGE);
  const ch = c.regs.lo[2] & 0xff;
  for (let i = 0; i < XATTR_SIZE_MAX; i++) {
    const sc = s.at(i);
    if (sc === undefined) return setR0(c, -ERRNO.EFAULT);
    if (sc === 0 || sc === ch) return setR0(c, i);
  }
  setR0(c, -ERRNO.E2BIG);
};

/** bpf_strrchr(s, int c): the last index of c (an int: only 0..255 can match), −ENOENT if none. */
const strrchr: HelperFn = (c) => {
  const s = str(c, 1);
  if (!s.ok) return setR0(c, -ERRNO.ERANGE);
  const ch = c.regs.lo[2] | 0;
  let last = -ERRNO.ENOENT;
  for (let i = 0; i < XATTR_SIZE_MAX; i++) {
    const sc = s.at(i);
    if (sc === undefined) return setR0(c, -ERRNO.EFAULT);
    if (sc === ch) last = i;
    if (sc === 0) return setR0(c, last);
  }
  setR0(c, -ERRNO.E2BIG);
};

/** strspn (`accept`) and strcspn (`!accept`): the length of the prefix made of (not) `set` characters. */
function span(accept: boolean): HelperFn {
  return (c) => {
    const s = str(c, 1);
    const set = str(c, 2);
    if (!s.ok || !set.ok) return setR0(c, -ERRNO.ERANGE);
    for (let i = 0; i < XATTR_SIZE_MAX; i++) {
      const cs = s.at(i);
      if (cs === undefined) return setR0(c, -ERRNO.EFAULT);
      if (cs === 0) return setR0(c, i);
      let j = 0;
      let found = false;
      for (; j < XATTR_SIZE_MAX; j++) {
        const cj = set.at(j);
        if (cj === undefined) return setR0(c, -ERRNO.EFAULT);
        if (cj === 0) break;
        if (cj === cs) {
          found = true;
          break;
        }
      }
      if (j === XATTR_SIZE_MAX) return setR0(c, -ERRNO.E2BIG);
      if (found !== accept) return setR0(c, i);
    }
    setR0(c, -ERRNO.E2BIG);
  };
}

/** bpf_strnstr(s1, s2, len): the index of s2 within the first len bytes of s1, −ENOENT if none. */
function strnstr(c: HelperCall, len: number): number {
  const s1 = str(c, 1);
  const s2 = str(c, 2);
  if (!s1.ok || !s2.ok) return -ERRNO.ERANGE;
  for (let i = 0; i < XATTR_SIZE_MAX; i++) {
    let j = 0;
    for (; i + j <= len && j < XATTR_SIZE_MAX; j++) {
      const c2 = s2.at(j);
      if (c2 === undefined) return -ERRNO.EFAULT;
      if (c2 === 0) return i;
      // s2 may be one byte longer than what is left of the window: then it is not inside it.
      if (i + j === len) return -ERRNO.ENOENT;
      const c1 = s1.at(i + j);
      if (c1 === undefined) return -ERRNO.EFAULT;
      if (c1 === 0) return -ERRNO.ENOENT;
      if (c1 !== c2) break;
    }
    if (j === XATTR_SIZE_MAX) return -ERRNO.E2BIG;
    if (i + j === len) return -ERRNO.ENOENT;
  }
  return -ERRNO.E2BIG;
}

export const stringKfuncs = {
  bpf_strcmp: (c) => setR0(c, strncasecmp(c, false)),
  bpf_strcasecmp: (c) => setR0(c, strncasecmp(c, true)),
  bpf_strchr: (c) => setR0(c, strnchr(c, XATTR_SIZE_MAX, c.regs.lo[2] & 0xff)),
  bpf_strchrnul: strchrnul,
  bpf_strnchr: (c) => setR0(c, strnchr(c, count(c, 2), c.regs.lo[3] & 0xff)),
  bpf_strrchr: strrchr,
  bpf_strlen: (c) => setR0(c, strnlen(c, XATTR_SIZE_MAX)),
  bpf_strnlen: (c) => setR0(c, strnlen(c, count(c, 2))),
  bpf_strspn: span(true),
  bpf_strcspn: span(false),
  bpf_strstr: (c) => setR0(c, strnstr(c, XATTR_SIZE_MAX)),
  bpf_strnstr: (c) => setR0(c, strnstr(c, count(c, 3))),
} satisfies KfuncFamily;
