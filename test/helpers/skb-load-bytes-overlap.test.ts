/**
 * bpf_skb_load_bytes copies through a byte loop when source and destination are different
 * buffers and through `set` (a memmove) when they share one (src/helpers/skb-bytes.ts copyFrom);
 * which one applies is remembered for the last pair of arrays (sharesBuffer). Seeded calls alternate
 * the destination between a stack buffer and the packet itself (overlapping the source, before and
 * after it), so the remembered answer changes between calls, and every result must be that of
 * a memmove of the packet's bytes at the time of the call.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import type { HelperCall } from '../../vm/program.js';
import { buildTestRunSkb, createSkbRunState } from '../../src/skb/index.js';
import { skbLoadBytes } from '../../src/helpers/skb-bytes.js';
import { prng } from '../vm/random-programs.js';

describe('bpf_skb_load_bytes into the stack and into the packet itself', () => {
  it('gives a memmove of the packet bytes in 300 seeded calls', () => {
    const r = prng(9100);
    const data = new Uint8Array(96).map((_, k) => (k * 37 + 11) & 255);
    const skb = buildTestRunSkb({ data });
    const mem = new Memory();
    const state = createSkbRunState(mem, skb);
    const stack = mem.alloc('stack', new Uint8Array(512));
    const lo = new Int32Array(11);
    const hi = new Int32Array(11);
    const call = { regs: { lo, hi, tag: hi }, mem, insnIndex: 0, run: state } as unknown as HelperCall;
    const packet = () => state.packet.bytes;
    const wrong: string[] = [];
    for (let k = 0; k < 300; k++) {
      const len = 1 + Math.floor(r() * 40);
      const off = Math.floor(r() * (packet().length - len));
      const toPacket = r() < 0.5;
      const at = toPacket ? Math.floor(r() * (packet().length - len)) : Math.floor(r() * (512 - len));
      const dst = toPacket ? packet() : stack.bytes;
      const want = dst.slice();
      want.set(packet().slice(off, off + len), at);
      const region = toPacket ? state.packet : stack;
      [lo[1], hi[1]] = [Memory.lo(0), state.ctx.hi];
      [lo[2], hi[2]] = [off, 0];
      [lo[3], hi[3]] = [Memory.lo(at), region.hi];
      [lo[4], hi[4]] = [len, 0];
      skbLoadBytes(call);
      if (lo[0] !== 0) wrong.push(`call ${k}: r0 ${lo[0]}`);
      else if (Buffer.compare(dst, want) !== 0) wrong.push(`call ${k}: ${toPacket ? 'packet' : 'stack'} off ${off} len ${len} at ${at}`);
    }
    expect(wrong).toEqual([]);
  });
});
