/**
 * Calls (helpers, bpf-to-bpf, tail calls, kfuncs, callx, callbacks), LD_ABS/LD_IND, the step
 * hook, and faults with their exact instruction index and code.
 */
import { describe, expect, it } from 'vitest';
import { BpfError, ErrorCode, VmFault } from '../../vm/errors.js';
import { MAX_CALL_DEPTH, MAX_TAIL_CALLS } from '../../vm/isa.js';
import { link } from '../../vm/link.js';
import { Memory, type Region } from '../../vm/memory.js';
import { CODE_HI, decode, type HelperFn, type LinkedProgram, type PacketProvider } from '../../vm/program.js';
import { BPF_THROW_ID } from '../../vm/kfuncs.js';
import { asm, ENGINES, insns, linkBytes, onEngine } from './vm-harness.js';

const setR0 = (lo: number, hi = 0): HelperFn => (call) => {
  call.regs.lo[0] = lo;
  call.regs.hi[0] = hi;
};
describe.each(ENGINES)('[%s]', (engine) => {
  const { run, runBytes, r0Of } = onEngine(engine);

  describe('[vm/calls]: helpers', () => {
    it('passes r1..r5, takes r0, and clobbers r1..r5 to 0 afterwards', () => {
      const seen: number[] = [];
      const helpers: HelperFn[] = [];
      helpers[7] = (call) => {
        for (let k = 1; k <= 5; k++) seen.push(call.regs.lo[k]);
        call.regs.lo[0] = 40;
      };
      const prog = asm`
        mov %r1, 1
        mov %r2, 2
        mov %r3, 3
        mov %r4, 4
        mov %r5, 5
        mov %r6, 6
        call 7
        add %r0, %r6
        add %r0, %r1
        add %r0, %r2
        add %r0, %r5
        exit`;
      expect(r0Of(prog, {}, helpers)).toBe(46n);
      expect(seen).toEqual([1, 2, 3, 4, 5]);
    });

    it('helper sees the call insn index and the run state', () => {
      let index = -1;
      let run: unknown;
      const helpers: HelperFn[] = [];
      helpers[1] = (call) => {
        index = call.insnIndex;
        run = call.run;
      };
      runBytes(asm`mov %r0, 0\nmov %r0, 0\ncall 1\nexit`, { run: 'state' }, helpers);
      expect(index).toBe(2);
      expect(run).toBe('state');
    });

    it('unknown helper id is a E_UNKNOWN_HELPER fault naming the id', () => {
      const r = runBytes(asm`mov %r0, 0\ncall 99\nexit`);
      expect(r.fault).toBeInstanceOf(VmFault);
      expect(r.fault?.code).toBe(ErrorCode.UnknownHelper);
      expect(r.fault?.insnIndex).toBe(1);
      expect(r.fault?.opcode).toBe(0x85);
      expect(r.fault?.message).toContain('99');
    });

    it('a BpfError thrown by a helper becomes the fault, at the call', () => {
      const helpers: HelperFn[] = [];
      helpers[3] = () => {
        throw new BpfError(ErrorCode.HelperFault, 'helper: nope');
      };
      const r = runBytes(asm`mov %r0, 0\ncall 3\nexit`, {}, helpers);
      expect(r.fault?.code).toBe(ErrorCode.HelperFault);
      expect(r.fault?.insnIndex).toBe(1);
    });

    it('any other exception from a helper propagates (it is a bug)', () => {
      const helpers: HelperFn[] = [];
      helpers[3] = () => {
        throw new TypeError('bug');
      };
      expect(() => runBytes(asm`call 3\nexit`, {}, helpers)).toThrow(TypeError);
    });

    it('a helper that rebinds a region (packet layout change) is seen by later accesses', () => {
      const mem = new Memory();
      const pkt = mem.alloc('packet', Uint8Array.from([1, 2, 3, 4]));
      const helpers: HelperFn[] = [];
      helpers[50] = () => mem.rebind(pkt, Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]));
      const prog = linkBytes(asm`
        mov %r6, %r1
        ldxb %r7, [%r6]
        call 50
        ldxb %r0, [%r6+0]
        lsh %r0, 8
        or %r0, %r7
        exit`, helpers);
      const r = run(prog, mem, { args: [[Memory.lo(0), pkt.hi]] });
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(0x0901n); // byte 0 after the rebind is 9, not the stale 1
    });

    // The interpreter keeps the last region an access resolved across a helper call when the
    // helper left it as it was: each way a helper can change it must be seen by the next access.
    describe('a region accessed before a helper call and after it', () => {
      /** r6 = r1 (the region); load byte 0; call 50; then `after`; r0 = (result << 8) | byte 0 before. */
      const around = (after: string, change: (mem: Memory, rg: Region) => void, bytes = [1, 2, 3, 4, 5, 6, 7, 8]) => {
        const mem = new Memory();
        const rg = mem.alloc('packet', Uint8Array.from(bytes));
        const helpers: HelperFn[] = [];
        helpers[50] = () => change(mem, rg);
        const prog = linkBytes(asm`mov %r6, %r1\nldxb %r7, [%r6+0]\ncall 50\n${after}\nlsh %r0, 8\nor %r0, %r7\nexit`, helpers);
        return run(prog, mem, { args: [[Memory.lo(0), rg.hi]] });
      };
      it('unchanged: the access after the call reads what the helper wrote in place', () => {
        const r = around('ldxb %r0, [%r6+5]', (mem, rg) => void (rg.bytes[5] = 42));
        expect(r.fault).toBeUndefined();
        expect(r.r0).toBe((42n << 8n) | 1n);
      });
      it('rebound to fewer bytes: an access past the new end faults', () => {
        const r = around('ldxb %r0, [%r6+5]', (mem, rg) => mem.rebind(rg, Uint8Array.from([9, 8])));
        expect(r.fault?.code).toBe(ErrorCode.BadAccess);
        expect(r.fault?.insnIndex).toBe(3);
      });
      it('rebound to other bytes of the same length: the access reads the new bytes', () => {
        const r = around('ldxb %r0, [%r6+5]', (mem, rg) => mem.rebind(rg, Uint8Array.from([9, 9, 9, 9, 9, 77, 9, 9])));
        expect(r.fault).toBeUndefined();
        expect(r.r0).toBe((77n << 8n) | 1n);
      });
      it('released: the access faults', () => {
        const r = around('ldxb %r0, [%r6+5]', (mem, rg) => mem.release(rg));
        expect(r.fault?.code).toBe(ErrorCode.BadAccess);
        expect(r.fault?.insnIndex).toBe(3);
      });
      it('made read-only: a store faults, a load still reads', () => {
        const ro = (mem: Memory, rg: Region) => mem.protect(rg);
        const w = around('stb [%r6+5], 3\nmov %r0, 0', ro);
        expect(w.fault?.code).toBe(ErrorCode.BadAccess);
        expect(w.fault?.insnIndex).toBe(3);
        const l = around('ldxb %r0, [%r6+5]', ro);
        expect(l.r0).toBe((6n << 8n) | 1n);
      });
    });

    it('kfunc calls (src 2) go through prog.kfuncs by BTF id', () => {
      const code = decode(insns([0x85, 0, 2, 0, 12345], [0x95]));
      const prog = link(code, { name: 'k', helpers: [], kfuncs: new Map([[12345, setR0(77)]]) });
      expect(run(prog, new Memory()).r0).toBe(77n);
      const bad = run(link(code, { name: 'k', helpers: [] }), new Memory());
      expect(bad.fault?.code).toBe(ErrorCode.UnknownHelper);
      expect(bad.fault?.insnIndex).toBe(0);
    });

    it('callx calls the helper whose id is in dst (bpf_conformance semantics)', () => {
      const helpers: HelperFn[] = [];
      helpers[4] = setR0(44);
      expect(r0Of(asm`mov %r2, 4\ncall %r2\nexit`, {}, helpers)).toBe(44n);
    });
  });

  describe('[vm/calls]: bpf_throw (exceptions, docs/exceptions.md)', () => {
    const THROW = [0x85, 0, 2, 0, BPF_THROW_ID] as [number, number, number, number, number];
    const linkThrowing = (bytes: Uint8Array, exceptionCb?: number, helpers: HelperFn[] = []): LinkedProgram =>
      link(decode(bytes), { name: 'exc', helpers, ...(exceptionCb !== undefined ? { exceptionCb } : {}) });

    it('without an exception callback the program returns the 64-bit cookie, from any depth', () => {
      const code = insns(
        [0x85, 0, 1, 0, 2], // call f
        [0x07, 0, 0, 0, 1000], // never runs
        [0x95],
        [0x18, 1, 0, 0, 5], [0, 0, 0, 0, 1], // f: r1 = 0x1_0000_0005
        THROW,
        [0xb7, 0, 0, 0, 9],
        [0x95],
      );
      const r = run(linkThrowing(code), new Memory());
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(0x1_0000_0005n);
      expect(r.insns).toBe(3);
    });

    it("the exception callback runs in the program's first frame, on its stack, with r1 = the cookie", () => {
      const code = insns(
        [0x7a, 10, 0, -8, 7], // *(u64 *)(r10 - 8) = 7
        [0x85, 0, 1, 0, 2], // call f
        [0xb7, 0, 0, 0, 1000],
        [0x95],
        [0xb7, 1, 0, 0, 5], // f: r1 = 5
        THROW,
        [0x95],
        [0x79, 0, 10, -8, 0], // cb: r0 = *(u64 *)(r10 - 8): main's slot
        [0x0f, 0, 1, 0, 0], // r0 += r1
        [0x95],
      );
      const r = run(linkThrowing(code, 7), new Memory());
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(12n);
      expect(r.insns).toBe(7);
    });

    it('a tail-called program unwinds to its own first frame and returns to its caller', () => {
      const target = linkThrowing(insns([0xb7, 1, 0, 0, 3], THROW, [0xb7, 0, 0, 0, 50], [0x95]));
      const helpers: HelperFn[] = [];
      helpers[12] = (call) => {
        call.tailCall = target;
      };
      const code = insns(
        [0x85, 0, 1, 0, 2], // call f
        [0x07, 0, 0, 0, 100], // r0 += 100
        [0x95],
        [0x85, 0, 0, 0, 12], // f: tail call
        [0xb7, 0, 0, 0, 1],
        [0x95],
      );
      const r = run(linkThrowing(code, undefined, helpers), new Memory());
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(103n);
    });

    it('a throw while a helper runs a callback is an E_HELPER_FAULT at the bpf_throw', () => {
      const helpers: HelperFn[] = [];
      helpers[99] = (call) => {
        call.callback?.(call.regs.lo[1], []);
      };
      const code = insns([0xb7, 1, 0, 0, 3], [0x85, 0, 0, 0, 99], [0x95], [0xb7, 1, 0, 0, 1], THROW, [0x95]);
      const r = run(linkThrowing(code, undefined, helpers), new Memory());
      expect(r.fault?.code).toBe(ErrorCode.HelperFault);
      expect(r.fault?.insnIndex).toBe(4);
      expect(r.fault?.message).toMatch(/bpf_throw inside a callback/);
    });

    it('a throw from the running exception callback runs it again (unverified code) until the budget ends', () => {
      const code = insns([0xb7, 1, 0, 0, 1], THROW, [0x95], THROW, [0x95]);
      const r = run(linkThrowing(code, 3), new Memory(), { budget: 100 });
      expect(r.fault?.code).toBe(ErrorCode.BudgetExceeded);
      expect(r.insns).toBe(100);
    });

    it('link refuses an exception callback outside the program', () => {
      expect(() => linkThrowing(insns(THROW, [0x95]), 2)).toThrow(/exception callback at insn 2/);
    });
  });

  describe('[vm/calls]: bpf-to-bpf', () => {
    it('callee-saved r6..r9 and the caller stack survive the callee [kernel example]', () => {
      const prog = asm`
        mov %r6, 5
        stdw [%r10-8], 0x11
        call local f
        ldxdw %r1, [%r10-8]
        mov %r0, %r6
        lsh %r0, 8
        or %r0, %r1
        exit
      f:
        mov %r6, 9
        stdw [%r10-8], 0x22
        mov %r0, 0
        exit`;
      expect(r0Of(prog)).toBe(0x511n);
    });

    it('passes arguments in r1..r5 and returns r0', () => {
      const prog = asm`
        mov %r1, 20
        mov %r2, 22
        call local add
        exit
      add:
        mov %r0, %r1
        add %r0, %r2
        exit`;
      expect(r0Of(prog)).toBe(42n);
    });

    it('a caller can pass a pointer to its own stack', () => {
      const prog = asm`
        stdw [%r10-8], 1
        mov %r1, %r10
        add %r1, -8
        call local f
        ldxdw %r0, [%r10-8]
        exit
      f:
        stdw [%r1+0], 99
        mov %r0, 0
        exit`;
      expect(r0Of(prog)).toBe(99n);
    });

    it(`more than ${MAX_CALL_DEPTH} frames is an E_CALL_DEPTH fault at the call`, () => {
      const prog = asm`
        call local f
        exit
      f:
        call local f
        exit`;
      const r = runBytes(prog);
      expect(r.fault?.code).toBe(ErrorCode.CallDepth);
      expect(r.fault?.insnIndex).toBe(2);
      // frames 0..7 exist: the 8th nested call faults after 1 + 7 calls
      expect(r.insns).toBe(MAX_CALL_DEPTH);
    });

    it('a call target outside the program is a jump fault', () => {
      const r = runBytes(insns([0x85, 0, 1, 0, 50], [0x95]));
      expect(r.fault?.code).toBe(ErrorCode.JumpOutOfRange);
      expect(r.fault?.insnIndex).toBe(0);
    });
  });

  describe('[vm/calls]: tail calls', () => {
    /** A program that counts its runs in *(u64 *)r1 and tail-calls itself through helper 12. */
    function selfTailCaller(): { prog: LinkedProgram; mem: Memory; counter: Uint8Array; args: [number, number][] } {
      const mem = new Memory();
      const counter = new Uint8Array(8);
      const region = mem.alloc('mem', counter);
      const helpers: HelperFn[] = [];
      const prog: LinkedProgram = linkBytes(
        asm`
          ldxdw %r2, [%r1]
          add %r2, 1
          stxdw [%r1], %r2
          call 12
          mov %r0, 7
          exit`,
        helpers,
      );
      helpers[12] = (call) => {
        call.tailCall = prog;
      };
      return { prog, mem, counter, args: [[Memory.lo(0), region.hi]] };
    }

    it(`a self tail call runs ${MAX_TAIL_CALLS + 1} times in total, then falls through [kernel: 34]`, () => {
      const { prog, mem, counter, args } = selfTailCaller();
      const r = run(prog, mem, { args });
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(7n);
      expect(new DataView(counter.buffer).getBigUint64(0, true)).toBe(34n);
    });

    it('the helper can read the run-wide tail call count', () => {
      const seen: number[] = [];
      const helpers: HelperFn[] = [];
      const prog = linkBytes(asm`call 12\nmov %r0, 1\nexit`, helpers);
      helpers[12] = (call) => {
        seen.push(call.tailCalls ?? -1);
        call.tailCall = prog;
      };
      run(prog, new Memory());
      expect(seen).toEqual(Array.from({ length: 34 }, (_, k) => k));
    });

    it('a tail call from a subprogram returns to the subprogram caller', () => {
      const target = linkBytes(asm`mov %r0, 5\nexit`);
      const helpers: HelperFn[] = [];
      helpers[12] = (call) => {
        call.tailCall = target;
      };
      const prog = asm`
        mov %r6, 100
        call local f
        add %r0, %r6
        exit
      f:
        call 12
        mov %r0, 1
        exit`;
      expect(r0Of(prog, {}, helpers)).toBe(105n);
    });
  });

  describe('[vm/calls]: callbacks (HelperCall.callback)', () => {
    it('a bpf_loop-style helper runs a subprogram through a BPF_PSEUDO_FUNC pointer', () => {
      // r1 = n, r2 = &cb (lddw src 4), r3 = 0; the helper calls cb(i, acc) n times, summing r0.
      const helpers: HelperFn[] = [];
      helpers[181] = (call) => {
        expect(call.regs.hi[2]).toBe(CODE_HI);
        let acc = 0;
        for (let i = 0; i < call.regs.lo[1]; i++) {
          const [lo] = call.callback!(call.regs.lo[2], [[i, 0]]);
          acc += lo;
        }
        call.regs.lo[0] = acc;
        call.regs.hi[0] = 0;
      };
      const code = insns(
        [0xb7, 6, 0, 0, 1000], // r6 = 1000 (must survive)
        [0xb7, 1, 0, 0, 4], // r1 = 4
        [0x18, 2, 4, 0, 5], // r2 = &cb (insn 2 + 1 + 5 = 8)
        [0x00],
        [0x85, 0, 0, 0, 181],
        [0x0f, 0, 6], // r0 += r6
        [0x95],
        [0x95], // padding, never reached
        [0xbf, 0, 1], // cb: r0 = r1
        [0x27, 0, 0, 0, 10], // r0 *= 10
        [0x95],
      );
      const prog = link(decode(code), { name: 'loop', helpers });
      const r = run(prog, new Memory());
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(1000n + 60n);
    });
  });

  describe('[vm/ld_abs]: legacy packet loads', () => {
    const pkt = Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0x00]);
    const packet: PacketProvider = {
      loadAbs(offset, size) {
        if (offset < 0 || offset + size > pkt.length) return undefined;
        let v = 0;
        for (let k = 0; k < size; k++) v = v * 256 + pkt[offset + k];
        return v;
      },
    };
    it('values are big-endian in host order [kernel: H at 12 = 0x0800, W at 12 = 0x08004500]', () => {
      expect(r0Of(asm`ldabsh 12\nexit`, { packet })).toBe(0x0800n);
      expect(r0Of(asm`ldabsw 12\nexit`, { packet })).toBe(0x08004500n);
      expect(r0Of(asm`ldabsb 14\nexit`, { packet })).toBe(0x45n);
    });
    it('LD_IND adds src and imm in 64 bits, then truncates to s32 [kernel: 2^32 + 12 acts as 12]', () => {
      expect(r0Of(asm`lddw %r1, 0x10000000c\nldindh %r1, 0\nexit`, { packet })).toBe(0x0800n);
    });
    it('clobbers r1..r5', () => {
      expect(r0Of(asm`mov %r3, 9\nldabsb 0\nmov %r0, %r3\nexit`, { packet })).toBe(0n);
    });
    it('out of bounds ends the program at once with r0 = 0 [kernel]', () => {
      const r = runBytes(asm`mov %r0, 99\nldabsw 4000\nmov %r0, 7\nexit`, { packet });
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(0n);
      expect(r.insns).toBe(2);
    });
  });

  describe('[vm/run]: options', () => {
    it('the step hook sees every executed pc with the frame depth', () => {
      const trace: [number, number][] = [];
      runBytes(asm`mov %r0, 1\ncall local f\nexit\nf:\nexit`, {
        step: (pc, _regs, depth) => trace.push([pc, depth]),
      });
      expect(trace).toEqual([
        [0, 0],
        [1, 0],
        [3, 1],
        [2, 0],
      ]);
    });
    it('args initialise r1..r5 and insns counts executed instructions', () => {
      const r = runBytes(asm`mov %r0, %r1\nadd %r0, %r5\nexit`, { args: [[1, 0], [0, 0], [0, 0], [0, 0], [2, 1]] });
      expect(r.r0).toBe(0x100000003n);
      expect(r.insns).toBe(3);
    });
    it('runs on one Memory reuse one set of frame regions, zeroed at every run start', () => {
      const mem = new Memory();
      const his: number[] = [];
      // Reads fp-8 (0 on a fresh stack), then leaves 0x77 there for the next run to (not) see.
      const prog = linkBytes(asm`ldxdw %r0, [%r10-8]\nstdw [%r10-8], 0x77\nexit`);
      const runs = [0, 1, 2].map(() => run(prog, mem, { step: (_pc, regs) => his.push(regs.hi[10]) }));
      expect(runs.map((r) => r.r0)).toEqual([0n, 0n, 0n]);
      expect(new Set(his).size).toBe(1);
      const probe = mem.alloc('scratch', new Uint8Array(1));
      expect(probe.id).toBeLessThanOrEqual(MAX_CALL_DEPTH); // only the pooled frame regions were ever allocated
    });
  });

  describe('[vm/faults]: program faults are results with insn index and code', () => {
    type F = [title: string, bytes: Uint8Array, code: string, insn: number, budget?: number];
    const faults: F[] = [
      ['read below the stack', asm`mov %r0, 0\nldxdw %r0, [%r10-520]\nexit`, ErrorCode.BadAccess, 1],
      ['write above the stack', asm`mov %r0, 0\nmov %r0, 0\nstdw [%r10+4096], 1\nexit`, ErrorCode.BadAccess, 2],
      ['NULL dereference', asm`mov %r1, 0\nldxw %r0, [%r1]\nexit`, ErrorCode.BadAccess, 1],
      ['unknown opcode', insns([0xb7], [0xb7], [0xb7], [0xff], [0x95]), ErrorCode.UnknownOpcode, 3],
      ['jump out of range', insns([0xb7], [0x05, 0, 0, 100], [0x95]), ErrorCode.JumpOutOfRange, 1],
      ['backward jump before insn 0', insns([0xb7], [0x05, 0, 0, -5], [0x95]), ErrorCode.JumpOutOfRange, 1],
      ['jump into the second slot of lddw', insns([0x05, 0, 0, 1], [0x18], [0x00], [0x95]), ErrorCode.UnknownOpcode, 2],
      ['falling off the end', insns([0xb7], [0xb7]), ErrorCode.FellOffEnd, 1],
      ['budget exceeded in an infinite loop', insns([0xb7], [0x05, 0, 0, -1], [0x95]), ErrorCode.BudgetExceeded, 1, 1000],
      ['bad bswap width', insns([0xb7], [0xd7, 0, 0, 0, 8], [0x95]), ErrorCode.UnknownOpcode, 1],
      ['bad movsx offset', insns([0xb7], [0xbf, 0, 1, 7], [0x95]), ErrorCode.UnknownOpcode, 1],
      ['atomic rmw on a byte', insns([0xb7], [0xd3, 10, 1, -8, 0x00], [0x95]), ErrorCode.UnknownOpcode, 1],
      ['unknown atomic op', insns([0xb7], [0xdb, 10, 1, -8, 0x02], [0x95]), ErrorCode.UnknownOpcode, 1],
    ];
    it.each(faults)('%s', (_t, bytes, code, insn, budget) => {
      const r = runBytes(bytes, budget === undefined ? {} : { budget });
      expect(r.fault).toBeInstanceOf(VmFault);
      expect(r.fault?.code).toBe(code);
      expect(r.fault?.insnIndex).toBe(insn);
      expect(r.fault?.opcode).toBe(bytes[insn * 8]);
    });

    it('falling off the end is the same fault with a step hook, and the hook never sees insn N', () => {
      const seen: number[] = [];
      const r = runBytes(insns([0xb7], [0xb7]), { step: (i: number) => void seen.push(i) });
      expect(r.fault?.code).toBe(ErrorCode.FellOffEnd);
      expect(r.fault?.insnIndex).toBe(1);
      expect(seen).toEqual([0, 1]);
    });

    it('a budget that runs out exactly at the end still reports falling off the end', () => {
      const r = runBytes(insns([0xb7], [0xb7]), { budget: 2 });
      expect(r.fault?.code).toBe(ErrorCode.FellOffEnd);
    });

    it('a bad access carries the address and size', () => {
      const r = runBytes(asm`mov %r1, 16\nldxh %r0, [%r1+2]\nexit`);
      expect(r.fault?.address).toBe(18n);
      expect(r.fault?.size).toBe(2);
    });

    it('the budget stops a run after exactly `budget` instructions', () => {
      const r = runBytes(insns([0x05, 0, 0, -1]), { budget: 250 });
      expect(r.fault?.code).toBe(ErrorCode.BudgetExceeded);
      expect(r.insns).toBe(250);
    });

    it('writes to a read-only region fault', () => {
      const mem = new Memory();
      const ro = mem.alloc('global', new Uint8Array(8), { writable: false });
      const r = run(linkBytes(asm`stdw [%r1], 1\nexit`), mem, { args: [[Memory.lo(0), ro.hi]] });
      expect(r.fault?.code).toBe(ErrorCode.BadAccess);
      expect(r.fault?.insnIndex).toBe(0);
    });

    it('ctx regions route through CtxAccess, and a rejected ctx access faults', () => {
      const mem = new Memory();
      const stores: [number, number, number][] = [];
      const ctx = mem.alloc('ctx', new Uint8Array(0), {
        ctx: {
          load: (offset, size, out) => {
            if (offset !== 8 || size !== 4) return false;
            out[0] = 0x1234;
            out[1] = 0;
            return true;
          },
          store: (offset, size, lo) => {
            stores.push([offset, size, lo]);
            return offset === 8;
          },
        },
      });
      const args: [number, number][] = [[Memory.lo(0), ctx.hi]];
      const ok = run(linkBytes(asm`ldxw %r0, [%r1+8]\nstw [%r1+8], 5\nexit`), mem, { args });
      expect(ok.fault).toBeUndefined();
      expect(ok.r0).toBe(0x1234n);
      expect(stores).toEqual([[8, 4, 5]]);
      const bad = run(linkBytes(asm`mov %r0, 0\nldxw %r0, [%r1+12]\nexit`), mem, { args });
      expect(bad.fault?.code).toBe(ErrorCode.BadAccess);
      expect(bad.fault?.insnIndex).toBe(1);
    });
  });
});
