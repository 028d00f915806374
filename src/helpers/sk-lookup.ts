/**
 * @fileoverview Socket lookups (bpf_sk_lookup_tcp/udp, bpf_skc_lookup_tcp, bpf_sk_release),
 * answered by a user-configured socket table (`SkbEnv.socketLookup`); with none configured every
 * lookup is NULL, as on a host without sockets.
 *
 * Argument rules follow net/core/filter.c bpf_sk_lookup / __bpf_sk_lookup: the tuple size picks
 * the family (sizeof ipv4 tuple = 12, ipv6 = 36, anything else → NULL), flags must be 0 and the
 * netns id must be negative (BPF_F_CURRENT_NETNS) or a valid id, else NULL. A found socket is a
 * referenced `struct bpf_sock` the program reads and must release.
 *
 *   struct bpf_sock_tuple.ipv4: saddr(4) daddr(4) sport(2) dport(2)          (network order)
 *   struct bpf_sock_tuple.ipv6: saddr(16) daddr(16) sport(2) dport(2)
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { Memory } from '../../vm/memory.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { SockCtx } from '../skb/sock-ctx.js';
import { AF_INET, AF_INET6 } from '../uapi.js';
import type { SkbSock } from '../skb/skb.js';
import { argMem, argU32, helperFault, setR0, setR0Ptr } from './args.js';
import { skbState } from './skb-common.js';

/** What a lookup asks for, decoded from the tuple (addresses as wire bytes, ports host order). */
export interface SocketQuery {
  protocol: 'tcp' | 'udp';
  /** skc_lookup_tcp: request and timewait sockets count too (sock_common). */
  common: boolean;
  family: 2 | 10;
  saddr: Uint8Array;
  daddr: Uint8Array;
  sport: number;
  dport: number;
}

/** A configured socket table: return the socket the kernel would find for `q`, if any. */
export type SocketLookup = (q: SocketQuery) => SkbSock | undefined;

const TUPLE_V4 = 12;
const TUPLE_V6 = 36;

function lookup(protocol: 'tcp' | 'udp', common: boolean, name: CalleeName): HelperFn {
  return (call: HelperCall) => {
    const st = skbState(call, name);
    const size = argU32(call, 3);
    // The u64 netns id and flags by their halves (no BigInt per call).
    const { lo, hi } = call.regs;
    const nsS32 = lo[4] | 0;
    // !((s32)netns_id < 0 || netns_id <= S32_MAX): the u64 must be a negative s32 or a small id
    // (a high half of 0 with a non-negative s32 low half is at most S32_MAX).
    const nsOk = nsS32 < 0 || hi[4] === 0;
    if ((lo[5] | hi[5]) !== 0 || !nsOk || (size !== TUPLE_V4 && size !== TUPLE_V6)) return setR0(call, 0);
    // Only the skb's own namespace exists for the lookup (an explicit id names no other netns).
    if (nsS32 >= 0) return setR0(call, 0);
    const t = argMem(call, 2, size, false, name);
    const socketLookup = st.env.socketLookup;
    if (socketLookup === undefined) return setR0(call, 0);
    const alen = size === TUPLE_V4 ? 4 : 16;
    const q: SocketQuery = {
      protocol,
      common,
      family: size === TUPLE_V4 ? AF_INET : AF_INET6,
      saddr: t.slice(0, alen),
      daddr: t.slice(alen, 2 * alen),
      sport: (t[2 * alen] << 8) | t[2 * alen + 1],
      dport: (t[2 * alen + 2] << 8) | t[2 * alen + 3],
    };
    const sk = socketLookup(q);
    if (sk === undefined) return setR0(call, 0);
    const region = call.mem.alloc('ctx', new Uint8Array(0), { ctx: new SockCtx(sk, !common), label: 'bpf_sock', writable: false, owner: sk });
    setR0Ptr(call, region.hi, Memory.lo(0));
  };
}

/** bpf_sk_release: drop the reference a lookup returned (its region goes away). */
const skRelease: HelperFn = (call) => {
  const region = call.mem.regionOfTagged(call.regs.hi[1], call.regs.tag[1]);
  if (region === undefined || region.label !== 'bpf_sock' || region.kind !== 'ctx') {
    throw helperFault(call, 'bpf_sk_release', 'argument r1 is not a socket from a lookup');
  }
  // The test-run skb's own socket (skb->sk) is not reference-counted by programs: keep it.
  const st = skbState(call, 'bpf_sk_release');
  if (region !== st.sock && region !== st.fullSock) call.mem.release(region);
  setR0(call, 0);
};

/** Socket lookup helpers keyed by helper id (they replace the NULL-only defaults). */
export const skLookupHelpers: HelperFamily = {
  ...byName(['bpf_sk_lookup_tcp'], (n) => lookup('tcp', false, n)),
  ...byName(['bpf_sk_lookup_udp'], (n) => lookup('udp', false, n)),
  ...byName(['bpf_skc_lookup_tcp'], (n) => lookup('tcp', true, n)),
  [HELPER_IDS.bpf_sk_release]: skRelease,
};
