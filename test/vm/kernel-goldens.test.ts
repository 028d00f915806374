/**
 * Replays the kernel-made ISA goldens (test/goldens/vm/raw_cases.*, see its README): each
 * program runs under each engine (interpreter and JIT) and must give the kernel's retval (r0 as u32) and, where
 * the program writes the packet or the ctx, the kernel's data_out / ctx_out bytes.
 *
 * The VM has no skb: a minimal ctx (len 0, mark 8, protocol 16, data 76, data_end 80, the
 * offsets of `struct __sk_buff`) and a packet region stand in for it here; the full `__sk_buff`
 * model is the runtime's and is tested there. Cases the kernel rejected at load are checked
 * against what this VM does without a verifier (see REJECTED below).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../vm/errors.js';
import { Memory } from '../../vm/memory.js';
import type { HelperFn, PacketProvider, RunResult } from '../../vm/program.js';
import { ENGINES, hexToBytes, linkBytes, onEngine } from './vm-harness.js';

const goldens = fileURLToPath(new URL('../goldens/vm/', import.meta.url));

interface RawCase {
  name: string;
  prog: string;
  pkt: string;
  ctx?: string;
}
interface KernelResult {
  loaded: boolean;
  err?: number;
  retval?: number;
  data_out?: string;
  ctx_out?: string;
}

const cases: RawCase[] = readFileSync(`${goldens}raw_cases.txt`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name, prog, pkt, ...extra] = l.trim().split(/\s+/);
    const ctxAt = extra.indexOf('--ctx');
    return { name, prog, pkt, ctx: ctxAt >= 0 ? extra[ctxAt + 1] : undefined };
  });
const kernel = new Map<string, KernelResult>(
  readFileSync(`${goldens}raw_cases.out.json`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const j = JSON.parse(l) as { case: string; result: KernelResult };
      return [j.case, j.result] as const;
    }),
);

/** Kernel rejected these at load; without a verifier the VM does the following instead. */
const REJECTED: Record<string, (r: RunResult) => void> = {
  // imm shift ≥ 64: the verifier rejects; the VM masks (& 63), as bpf_conformance expects.
  lsh_by_imm_64_rejected: (r) => expect(r.r0).toBe(1n),
  // unchecked packet read: the verifier rejects; the VM's bounds check lets an in-bounds read run.
  pkt_read_unchecked_rejected: (r) => expect(r.r0).toBe(0x08n),
  // reading an uninitialised r0: the verifier rejects; VM registers start at 0.
  uninit_r0_rejected: (r) => expect(r.r0).toBe(0n),
  // an infinite loop: the verifier rejects; the VM stops at its instruction budget.
  infinite_loop_rejected: (r) => {
    expect(r.fault?.code).toBe(ErrorCode.BudgetExceeded);
    expect(r.fault?.insnIndex).toBe(1);
  },
  // opcode 0xff: the verifier rejects; the VM faults at that instruction.
  unknown_opcode_rejected: (r) => {
    expect(r.fault?.code).toBe(ErrorCode.UnknownOpcode);
    expect(r.fault?.insnIndex).toBe(0);
  },
};

/** Loaded, but BPF_PROG_TEST_RUN refused the input (skb construction, not the VM). */
const TEST_RUN_ERRORS = new Set(['ctx_bad_ctx_field_einval', 'frame_14_bytes_ipv4_ethertype']);

/** A stand-in skb: packet region + ctx region with the five fields the cases use. */
function makeSkb(mem: Memory, pktHex: string, ctxHex?: string) {
  const pkt = hexToBytes(pktHex);
  const packet = mem.alloc('packet', pkt, { label: 'packet' });
  const ctxIn = ctxHex ? hexToBytes(ctxHex) : new Uint8Array(192);
  let mark = new DataView(ctxIn.buffer).getUint32(8, true);
  const ctx = mem.alloc('ctx', new Uint8Array(0), {
    ctx: {
      load(offset, size, out) {
        if (size !== 4) return false;
        out[1] = 0;
        switch (offset) {
          case 0: // len
            out[0] = pkt.length;
            return true;
          case 8: // mark
            out[0] = mark;
            return true;
          case 16: // protocol: raw big-endian u16 as stored (skb->protocol)
            out[0] = pkt[12] | (pkt[13] << 8);
            return true;
          case 76: // data: a packet pointer
            out[0] = Memory.lo(0);
            out[1] = packet.hi;
            out[2] = packet.hi;
            return true;
          case 80: // data_end
            out[0] = Memory.lo(pkt.length);
            out[1] = packet.hi;
            out[2] = packet.hi;
            return true;
          default:
            return false;
        }
      },
      store(offset, size, lo) {
        if (offset !== 8 || size !== 4) return false;
        mark = lo >>> 0;
        return true;
      },
    },
  });
  const provider: PacketProvider = {
    loadAbs(offset, size) {
      if (offset < 0 || offset + size > pkt.length) return undefined;
      let v = 0;
      for (let k = 0; k < size; k++) v = v * 256 + pkt[offset + k];
      return v;
    },
  };
  return { pkt, ctx, provider, mark: () => mark };
}

const helpers: HelperFn[] = [];
helpers[5] = (call) => {
  // bpf_ktime_get_ns: any clock value; the program discards it.
  call.regs.lo[0] = 123456;
  call.regs.hi[0] = 0;
};
describe.each(ENGINES)('[%s]', (engine) => {
  const { run } = onEngine(engine);

  describe('[vm/kernel-goldens]: raw ISA cases answered by Linux 6.18', () => {
    it('every case has a kernel answer', () => {
      expect(cases.length).toBe(kernel.size);
      for (const c of cases) expect(kernel.has(c.name), c.name).toBe(true);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
      const k = kernel.get(name)!;
      const mem = new Memory();
      const skb = makeSkb(mem, c.pkt, c.ctx);
      const r = run(linkBytes(hexToBytes(c.prog), helpers), mem, {
        args: [[Memory.lo(0), skb.ctx.hi]],
        packet: skb.provider,
        budget: 100_000,
      });
      if (!k.loaded) {
        expect(REJECTED[name], `${name}: kernel rejected it; say what the VM does`).toBeDefined();
        REJECTED[name](r);
        return;
      }
      if (k.err !== 0) {
        expect(TEST_RUN_ERRORS.has(name), `${name}: err ${k.err}`).toBe(true);
        return;
      }
      expect(r.fault).toBeUndefined();
      expect(r.r0lo).toBe(k.retval);
      expect(Buffer.from(skb.pkt).toString('hex')).toBe(k.data_out);
      if (c.ctx !== undefined && k.ctx_out !== undefined) {
        expect(skb.mark()).toBe(Buffer.from(k.ctx_out, 'hex').readUInt32LE(8));
      }
    });
  });
});
