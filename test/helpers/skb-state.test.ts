/**
 * What the skb helpers leave in the run state for the netdev and the integrator (redirect info,
 * clone_redirect events, tunnel metadata, packet Region rebinding) and the configurable
 * stand-ins for values the kernel cannot reproduce (flow hash, socket cookie, FIB, devices).
 * Return values here are the kernel's documented ones (docs/skb-and-helpers.md §7, §10, §11) and are
 * also covered by the kernel goldens in skb-helpers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import type { HelperCall, RegisterFile } from '../../vm/program.js';
import { buildTestRunSkb, createSkbRunState, LOOPBACK, SKB_OFF, type SkbEnv } from '../../src/skb/index.js';
import { skbHelpers } from '../../src/helpers/skb.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { unhex } from '../skb/golden.js';

/** A host-side register file whose every value counts as a trusted pointer (tag aliases hi). */
function trustedRegisters(): { lo: Int32Array; hi: Int32Array; tag: Int32Array } {
  const hi = new Int32Array(11);
  return { lo: new Int32Array(11), hi, tag: hi };
}

const FRAME = unhex(
  '00000000000002000000000108004500002d00010000400600000a0000010a00000204d2162e0000000100000000500220000000000068656c6c6f',
);

function setup(env: SkbEnv = {}) {
  const mem = new Memory();
  const skb = buildTestRunSkb({ data: FRAME });
  const state = createSkbRunState(mem, skb, { env });
  const regs: RegisterFile = trustedRegisters();
  const call = (id: number, ...args: (number | bigint)[]): bigint => {
    regs.lo.fill(0);
    regs.hi.fill(0);
    const ctx = Memory.address(state.ctx);
    regs.lo[1] = Number(ctx & 0xffffffffn) | 0;
    regs.hi[1] = Number(ctx >> 32n) | 0;
    args.forEach((a, i) => {
      const v = BigInt.asUintN(64, BigInt(a));
      regs.lo[i + 1] = Number(v & 0xffffffffn) | 0;
      regs.hi[i + 1] = Number(v >> 32n) | 0;
    });
    const c: HelperCall = { regs, mem, insnIndex: 0, run: state };
    skbHelpers[id](c);
    return BigInt.asIntN(64, (BigInt(regs.hi[0] >>> 0) << 32n) | BigInt(regs.lo[0] >>> 0));
  };
  const ctxArg = Memory.address(state.ctx);
  return { mem, skb, state, call, ctxArg };
}

describe('redirect state', () => {
  it('redirect records the last request and returns TC_ACT_REDIRECT', () => {
    const { state, call } = setup();
    expect(call(HELPER_IDS.bpf_redirect, 5, 1)).toBe(7n);
    expect(state.redirect).toEqual({ kind: 'redirect', ifindex: 5, flags: 1 });
    expect(call(HELPER_IDS.bpf_redirect_peer, 9, 0)).toBe(7n);
    expect(state.redirect).toEqual({ kind: 'peer', ifindex: 9, flags: 0 });
    // A refused request (bad flags) leaves the previous one in place and returns TC_ACT_SHOT.
    expect(call(HELPER_IDS.bpf_redirect, 3, 4)).toBe(2n);
    expect(state.redirect?.ifindex).toBe(9);
  });
  it('clone_redirect records the clone as an event and returns the transmit status', () => {
    const seen: number[] = [];
    const { state, call, ctxArg } = setup({ cloneRedirect: (ev) => (seen.push(ev.ifindex), -100) });
    expect(call(HELPER_IDS.bpf_clone_redirect, ctxArg, 1, 0)).toBe(-100n);
    expect(seen).toEqual([1]);
    expect(state.events).toHaveLength(1);
    expect(Array.from(state.events[0].frame)).toEqual(Array.from(FRAME));
    // The clone is independent of later changes to the original.
    state.skb.bytes()[0] = 0xee;
    expect(state.events[0].skb.bytes()[0]).toBe(0);
  });
});

describe('packet Region follows layout changes', () => {
  it('data/data_end reload to the new layout after adjust_room', () => {
    const { state, call, ctxArg } = setup();
    expect(call(HELPER_IDS.bpf_skb_adjust_room, ctxArg, 8, 0, 0)).toBe(0n);
    const out = new Int32Array(2);
    state.ctx.ctx!.load(SKB_OFF.data, 4, out);
    const data = [out[0], out[1]] as const;
    state.ctx.ctx!.load(SKB_OFF.data_end, 4, out);
    expect(out[0] - data[0]).toBe(67);
    const view = state.mem.slice(data[1], data[0], 67);
    expect(view).toBeDefined();
    expect(Array.from(view!.subarray(34, 42))).toEqual(new Array(8).fill(0));
  });
});

describe('stand-ins for non-reproducible kernel values', () => {
  it('get_hash_recalc: env.flowHash, stored as a software hash; set_hash wins', () => {
    const { skb, call, ctxArg } = setup({ flowHash: () => 0xabcdef });
    expect(call(HELPER_IDS.bpf_get_hash_recalc, ctxArg)).toBe(0xabcdefn);
    expect(skb.hash).toBe(0xabcdef);
    expect(call(HELPER_IDS.bpf_set_hash, ctxArg, 0x99)).toBe(0n);
    expect(call(HELPER_IDS.bpf_get_hash_recalc, ctxArg)).toBe(0x99n);
  });
  it('get_hash_recalc default: nonzero, stable for one frame', () => {
    const a = setup();
    const b = setup();
    const h = a.call(HELPER_IDS.bpf_get_hash_recalc, a.ctxArg);
    expect(h).not.toBe(0n);
    expect(b.call(HELPER_IDS.bpf_get_hash_recalc, b.ctxArg)).toBe(h);
  });
  it('get_socket_cookie: assigned once per socket', () => {
    let n = 100n;
    const { call, ctxArg } = setup({ nextSocketCookie: () => n++ });
    expect(call(HELPER_IDS.bpf_get_socket_cookie, ctxArg)).toBe(100n);
    expect(call(HELPER_IDS.bpf_get_socket_cookie, ctxArg)).toBe(100n);
  });
  it('fib_lookup through env.fib; MTU of the result device checked when tot_len is 0', () => {
    const dev = { ...LOOPBACK, ifindex: 7, name: 'eth0', mtu: 20 };
    const env: SkbEnv = {
      devices: new Map([[1, LOOPBACK], [7, dev]]),
      fib: (p) => {
        new DataView(p.buffer, p.byteOffset).setUint32(8, 7, true);
        return { ret: 0 };
      },
    };
    const { mem, call, ctxArg } = setup(env);
    const params = new Uint8Array(64);
    params[0] = 2;
    const r = mem.alloc('stack', params);
    // 59-byte frame > mtu 20 + 14: FRAG_NEEDED
    expect(call(HELPER_IDS.bpf_fib_lookup, ctxArg, Memory.address(r), 64, 0)).toBe(8n);
    params[6] = 100; // tot_len set: no skb MTU check
    expect(call(HELPER_IDS.bpf_fib_lookup, ctxArg, Memory.address(r), 64, 0)).toBe(0n);
  });
});

describe('tc ingress rules of the __sk_buff view', () => {
  it('tstamp: a non-REALTIME stamp reads 0 at ingress unless the program reads tstamp_type', () => {
    const { skb, state } = setup();
    skb.tcAtIngress = true;
    skb.tstamp = 1234n;
    skb.tstampType = 1;
    const out = new Int32Array(2);
    expect(state.ctx.ctx!.load(SKB_OFF.tstamp, 8, out)).toBe(true);
    expect(out[0]).toBe(0);
    skb.tcAtIngress = false;
    state.ctx.ctx!.load(SKB_OFF.tstamp, 8, out);
    expect(out[0]).toBe(1234);
  });
  it('tstamp write at ingress clears tstamp_type (no tstamp_type access)', () => {
    const { skb, state } = setup();
    skb.tcAtIngress = true;
    skb.tstampType = 1;
    expect(state.ctx.ctx!.store(SKB_OFF.tstamp, 8, 5, 0)).toBe(true);
    expect(skb.tstamp).toBe(5n);
    expect(skb.tstampType).toBe(0);
  });
});

describe('usesTstampType', () => {
  it('finds a byte load at __sk_buff offset 180', async () => {
    const { usesTstampType } = await import('../../src/skb/index.js');
    const { decode } = await import('../../vm/program.js');
    expect(usesTstampType(decode(unhex('711ab400000000009500000000000000')))).toBe(true);
    expect(usesTstampType(decode(unhex('611ab400000000009500000000000000')))).toBe(false);
  });
});

describe('releaseSkbRunState', () => {
  it('frees the regions: the ctx address no longer resolves', async () => {
    const { releaseSkbRunState } = await import('../../src/skb/index.js');
    const { state } = setup();
    const hi = state.ctx.hi;
    expect(state.mem.regionOf(hi)).toBe(state.ctx);
    releaseSkbRunState(state);
    expect(state.mem.regionOf(hi)).toBeUndefined();
    expect(state.mem.regionOf(state.packet.hi)).toBeUndefined();
  });
});
