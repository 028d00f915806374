/**
 * @fileoverview Raw SYN cookies (net/core/filter.c bpf_tcp_raw_{gen,check}_syncookie_ipv{4,6},
 * net/ipv4/syncookies.c, net/ipv6/syncookies.c): pure computations over the IP and TCP headers
 * the program passes in.
 *
 *   cookie = hash(saddr, daddr, sport, dport, 0, secret0) + seq + (count << 24)
 *          + ((hash(saddr, daddr, sport, dport, count, secret1) + mssind) & 0xffffff)
 *
 * with count = jiffies / (60 * HZ) (tcp_cookie_time) and hash = SipHash-2-4 truncated to 32 bits.
 * The kernel draws its secrets at random once per boot (net_get_random_once), so no emulator can
 * produce the kernel's cookie bits: the secrets are configurable (`SyncookieRunState`), and the
 * mss half, the round trip and the error paths are what match the kernel [measured].
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { argMem, argU32, setR0, setR0Big } from './args.js';
import { HZ, type BaseRunState } from './base.js';

/** Two SipHash keys (k0, k1) per family: [secret0.k0, secret0.k1, secret1.k0, secret1.k1]. */
export interface SyncookieSecrets {
  v4: readonly [bigint, bigint, bigint, bigint];
  v6: readonly [bigint, bigint, bigint, bigint];
}
/** Run-state field (pass it in TestRunOptions.base) overriding the default secrets. */
export interface SyncookieRunState {
  syncookieSecrets?: SyncookieSecrets;
}
/** Fixed stand-ins for the kernel's per-boot random syncookie_secret / syncookie6_secret. */
export const DEFAULT_SYNCOOKIE_SECRETS: SyncookieSecrets = Object.freeze({
  v4: [0x0706050403020100n, 0x0f0e0d0c0b0a0908n, 0x1716151413121110n, 0x1f1e1d1c1b1a1918n] as const,
  v6: [0x2726252423222120n, 0x2f2e2d2c2b2a2928n, 0x3736353433323130n, 0x3f3e3d3c3b3a3938n] as const,
});

const M64 = 0xffffffffffffffffn;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

/** SipHash-2-4 (lib/siphash.c) of `data` under (k0, k1). */
export function siphash24(data: Uint8Array, k0: bigint, k1: bigint): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & M64; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64; v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & M64; v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & M64; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const word = (off: number, n: number): bigint => {
    let w = 0n;
    for (let i = n - 1; i >= 0; i--) w = (w << 8n) | BigInt(data[off + i]);
    return w;
  };
  const full = data.length & ~7;
  for (let off = 0; off < full; off += 8) {
    const m = word(off, 8);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  const b = ((BigInt(data.length) & 0xffn) << 56n) | word(full, data.length - full);
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return (v0 ^ v1 ^ v2 ^ v3) & M64;
}

const COOKIEBITS = 24;
const COOKIEMASK = (1 << COOKIEBITS) - 1;
const MAX_SYNCOOKIE_AGE = 2;
/** msstab (syncookies.c) and msstab6 (IPv6: 1280, 1480, 1500, 9000 minus 60). */
const MSSTAB4 = [536, 1300, 1440, 1460];
const MSSTAB6 = [1220, 1420, 1440, 8940];
const TCP_MSS_DEFAULT = 536;
const IPV6_MIN_MSS = 1280 - 20 - 40;

interface Family {
  v6: boolean;
  ipLen: number;
  msstab: number[];
  defaultMss: number;
}
const V4: Family = { v6: false, ipLen: 20, msstab: MSSTAB4, defaultMss: TCP_MSS_DEFAULT };
const V6: Family = { v6: true, ipLen: 40, msstab: MSSTAB6, defaultMss: IPV6_MIN_MSS };

/** cookie_hash: the v4 form hashes 4 u32 words, the v6 form a 40-byte struct. Low 32 bits. */
function cookieHash(fam: Family, ip: Uint8Array, th: Uint8Array, count: number, c: 0 | 1, secrets: SyncookieSecrets): number {
  const key = fam.v6 ? secrets.v6 : secrets.v4;
  let data: Uint8Array;
  if (!fam.v6) {
    // siphash_4u32(saddr, daddr, sport << 16 | dport, count): raw (network-order) address words,
    // the two raw __be16 ports as a little-endian u32.
    data = new Uint8Array(16);
    data.set(ip.subarray(12, 20), 0);
    data.set([th[2], th[3], th[0], th[1]], 8);
  } else {
    // { saddr[16], daddr[16], u32 count, __be16 sport, __be16 dport }
    data = new Uint8Array(40);
    data.set(ip.subarray(8, 40), 0);
    data.set([th[0], th[1], th[2], th[3]], 36);
  }
  new DataView(data.buffer).setUint32(fam.v6 ? 32 : 12, count >>> 0, true);
  return Number(siphash24(data, key[2 * c], key[2 * c + 1]) & 0xffffffffn) >>> 0;
}

/** tcp_cookie_time(): jiffies / TCP_SYNCOOKIE_PERIOD (60 s), as u32. */
function cookieTime(c: HelperCall): number {
  const clock = (c.run as Partial<BaseRunState> | undefined)?.clock;
  const ns = clock?.monoNs ?? 0n;
  return Number(((ns * HZ) / 1_000_000_000n / (60n * HZ)) & 0xffffffffn) >>> 0;
}

const be32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const secretsOf = (c: HelperCall): SyncookieSecrets =>
  (c.run as SyncookieRunState | undefined)?.syncookieSecrets ?? DEFAULT_SYNCOOKIE_SECRETS;

/** tcp_parse_mss_option(th, 0): the MSS option's value, 0 when absent or malformed. */
function parseMss(th: Uint8Array, thLen: number): number {
  let mss = 0;
  let length = thLen - 20;
  let p = 20;
  while (length > 0) {
    const opcode = th[p++];
    if (opcode === 0) return mss; // TCPOPT_EOL
    if (opcode === 1) {
      length--; // TCPOPT_NOP
      continue;
    }
    if (length < 2) return mss;
    const opsize = th[p++];
    if (opsize < 2 || opsize > length) return mss;
    if (opcode === 2 && opsize === 4) {
      const v = (th[p] << 8) | th[p + 1];
      if (v) mss = v;
    }
    p += opsize - 2;
    length -= opsize;
  }
  return mss;
}

function gen(fam: Family, name: CalleeName): HelperFn {
  return (c) => {
    const ip = argMem(c, 1, fam.ipLen, false, name);
    const thLen = argU32(c, 3);
    const th = argMem(c, 2, thLen, false, name);
    if (thLen < 20 || thLen !== (th[12] >> 4) * 4) return setR0(c, -ERRNO.EINVAL);
    const mss = parseMss(th, thLen) || fam.defaultMss;
    let mssind = fam.msstab.length - 1;
    while (mssind > 0 && mss < fam.msstab[mssind]) mssind--;
    const count = cookieTime(c);
    const s = secretsOf(c);
    const cookie =
      (cookieHash(fam, ip, th, 0, 0, s) + be32(th, 4) + ((count << COOKIEBITS) >>> 0) + ((cookieHash(fam, ip, th, count, 1, s) + mssind) & COOKIEMASK)) >>> 0;
    setR0Big(c, (BigInt(fam.msstab[mssind]) << 32n) | BigInt(cookie));
  };
}

function check(fam: Family, name: CalleeName): HelperFn {
  return (c) => {
    const ip = argMem(c, 1, fam.ipLen, false, name);
    const th = argMem(c, 2, 20, false, name);
    const s = secretsOf(c);
    const count = cookieTime(c);
    // check_tcp_syn_cookie(ack_seq - 1, ..., seq - 1)
    let cookie = (be32(th, 8) - 1) >>> 0;
    const sseq = (be32(th, 4) - 1) >>> 0;
    cookie = (cookie - ((cookieHash(fam, ip, th, 0, 0, s) + sseq) >>> 0)) >>> 0;
    const diff = ((count - (cookie >>> COOKIEBITS)) >>> 0) & (0xffffffff >>> COOKIEBITS);
    let mssind = 0xffffffff;
    if (diff < MAX_SYNCOOKIE_AGE) mssind = ((cookie - cookieHash(fam, ip, th, (count - diff) >>> 0, 1, s)) >>> 0) & COOKIEMASK;
    setR0(c, mssind < fam.msstab.length ? 0 : -ERRNO.EACCES);
  };
}

export const syncookieHelpers: HelperFamily = {
  ...byName(['bpf_tcp_raw_gen_syncookie_ipv4'], (n) => gen(V4, n)),
  ...byName(['bpf_tcp_raw_gen_syncookie_ipv6'], (n) => gen(V6, n)),
  ...byName(['bpf_tcp_raw_check_syncookie_ipv4'], (n) => check(V4, n)),
  ...byName(['bpf_tcp_raw_check_syncookie_ipv6'], (n) => check(V6, n)),
};
