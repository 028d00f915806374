/**
 * bpf_sk_assign_tcp_reqsk: the kernel's checks in the order of net/core/filter.c (no kernel golden:
 * a test run is never at tc ingress, so the kernel answers -EINVAL before reaching the others, and
 * the listener would have to come from bpf_skc_to_tcp_sock, which tcxlab answers with NULL).
 * Called directly, with a socket region as a lookup hands out and attrs on a scratch region.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import type { HelperCall, RegisterFile } from '../../vm/program.js';
import { buildTestRunSkb, createSkbRunState } from '../../src/skb/index.js';
import { KFUNC_IMPLS } from '../../src/kfuncs/index.js';
import type { SkbSock } from '../../src/skb/skb.js';
import { unhex } from '../skb/golden.js';

const V4 = unhex('00000000000002000000000108004500002d00010000400600000a0000010a00000204d2162e0000000100000000500220000000000068656c6c6f');
const listener: SkbSock = { boundDevIf: 0, family: 2, srcIp: new Uint8Array(4), dstIp: new Uint8Array(4), srcPort: 80, dstPort: 0, state: 10, rxQueueMapping: -1 };

function setup(opts: { ingress?: boolean; sk?: SkbSock; frame?: Uint8Array } = {}) {
  const mem = new Memory();
  const skb = buildTestRunSkb({ data: opts.frame ?? V4 });
  skb.tcAtIngress = opts.ingress ?? true;
  const state = createSkbRunState(mem, skb, {});
  const sock = mem.alloc('ctx', new Uint8Array(0), { ctx: { load: () => false, store: () => false }, label: 'bpf_sock', writable: false, owner: opts.sk ?? listener });
  const attrs = mem.alloc('map', new Uint8Array(24), { writable: true, label: 'attrs' });
  const regs: RegisterFile = { lo: new Int32Array(11), hi: new Int32Array(11), tag: new Int32Array(11) };
  const assign = (a: Partial<{ mss: number; rcvWscale: number; sndWscale: number; wscaleOk: number; reserved: number }>, size = 20): number => {
    const dv = attrs.view;
    attrs.bytes.fill(0);
    dv.setUint16(8, a.mss ?? 1460, true);
    attrs.bytes[10] = a.rcvWscale ?? 7;
    attrs.bytes[11] = a.sndWscale ?? 7;
    attrs.bytes[13] = a.wscaleOk ?? 1;
    attrs.bytes[18] = a.reserved ?? 0;
    regs.lo.fill(0);
    regs.hi.fill(0);
    regs.tag.fill(0);
    const set = (n: number, addr: bigint): void => {
      regs.lo[n] = Number(addr & 0xffffffffn) | 0;
      regs.hi[n] = Number(addr >> 32n) | 0;
      regs.tag[n] = regs.hi[n]; // a pointer the program got from a trusted source
    };
    set(1, Memory.address(state.ctx));
    set(2, Memory.address(sock));
    set(3, Memory.address(attrs));
    regs.lo[4] = size;
    const c: HelperCall = { regs, mem, insnIndex: 0, run: state };
    KFUNC_IMPLS.bpf_sk_assign_tcp_reqsk(c);
    return regs.lo[0];
  };
  return { state, assign };
}

describe('bpf_sk_assign_tcp_reqsk', () => {
  it('attaches the request for a listener at tc ingress', () => {
    const { state, assign } = setup();
    expect(assign({})).toBe(0);
    expect(state.reqsk?.listener.srcPort).toBe(80);
    expect(new DataView(state.reqsk!.attrs.buffer).getUint16(8, true)).toBe(1460);
  });
  it.each([
    ['attrs__sz other than 20', {}, 16, {}],
    ['a reserved byte set', { reserved: 1 }, 20, {}],
    ['not at tc ingress', {}, 20, { ingress: false }],
    ['a socket that is not listening', {}, 20, { sk: { ...listener, state: 1 } }],
    ['an MSS under 536 for IPv4', { mss: 535 }, 20, {}],
    ['a window scale over 14', { sndWscale: 15 }, 20, {}],
  ] as const)('-EINVAL for %s', (_name, attrs, size, opts) => {
    const { state, assign } = setup(opts);
    expect(assign(attrs, size)).toBe(-22);
    expect(state.reqsk).toBeUndefined();
  });
  it('a window scale over 14 is fine when wscale_ok is 0, and the MSS bound is 536 exactly', () => {
    expect(setup().assign({ sndWscale: 15, wscaleOk: 0 })).toBe(0);
    expect(setup().assign({ mss: 536 })).toBe(0);
  });
});
