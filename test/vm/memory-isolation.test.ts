/**
 * Memory isolation (vm/memory.ts, "Isolation"; docs/memory-isolation.md): no arithmetic on one
 * region's pointer may resolve inside another region, another call frame, another array element
 * or another (or a submitted) ring-buffer record. Each hostile program below runs under both
 * engines with verification off, and must end in E_BAD_ACCESS at the offending instruction with
 * the victim's bytes untouched; with verification on it must be refused at load or fault the
 * same way (never succeed silently). Positive cases show that what the kernel allows still works.
 */
import { describe, expect, it } from 'vitest';
import { asm } from '../../vm/asm.js';
import { ErrorCode } from '../../vm/errors.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type LinkedProgram } from '../../vm/program.js';
import { verify } from '../../vm/verifier/index.js';
import { ENGINES } from '../../vm/engine.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { createMap } from '../../src/maps/create.js';
import { createMapEnv, type BpfMap } from '../../src/maps/types.js';
import type { ArrayMap } from '../../src/maps/array.js';
import type { RingbufMap } from '../../src/maps/ringbuf.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { testRun } from '../../src/test-run.js';
import { BPF_MAP_TYPE } from '../../src/uapi.js';


/** A UDP/IPv4 frame of 64 bytes. */
const FRAME = new Uint8Array(Buffer.from(
  '02000000000202000000000108004500003200010000401166b80a0000010a00000204d2162e001e0000' + '00'.repeat(22),
  'hex',
));

interface World {
  mem: Memory;
  maps: BpfMap[];
  a: ArrayMap;
  b: ArrayMap;
  rb: RingbufMap;
}

/** Map 0: array A (value 16, 4 entries), map 1: array B (value 64, 1 entry), map 2: ring buffer. */
function world(): World {
  const mem = new Memory();
  const env = createMapEnv(mem);
  const def = (name: string, type: number, keySize: number, valueSize: number, maxEntries: number) =>
    createMap({ name, type, keySize, valueSize, maxEntries, flags: 0 }, env);
  const a = def('a', BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY, 4, 16, 4) as ArrayMap;
  const b = def('b', BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY, 4, 64, 1) as ArrayMap;
  const rb = def('rb', BPF_MAP_TYPE.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096) as RingbufMap;
  return { mem, maps: [a, b, rb], a, b, rb };
}

/** Assemble, then turn each `lddw %rN, 0x1000000M` into a BPF_PSEUDO_MAP_FD load of map M. */
function program(text: string): Uint8Array {
  const bytes = asm`${text}`;
  for (let i = 0; i + 15 < bytes.length; i += 8) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + i);
    if (bytes[i] === 0x18 && dv.getInt32(12, true) === 0x1 && (dv.getInt32(4, true) & 0xfffffff0) === 0) {
      bytes[i + 1] = (bytes[i + 1] & 0x0f) | (1 << 4);
      dv.setInt32(12, 0, true);
    }
  }
  return bytes;
}

function linkIn(w: World, bytes: Uint8Array): LinkedProgram {
  return link(decode(bytes), {
    name: 'p',
    helpers: buildHelperTable(),
    resolveLdImm64: (_src, imm) => [Memory.lo(0), w.maps[imm].handle.hi],
  });
}

/** The verifier's answer for a tc program (undefined when accepted). */
function verifierRejects(bytes: Uint8Array): string | undefined {
  try {
    // the maps as the verifier sees them: lddw map fds become map indexes into world()'s maps
    const code = bytes.slice();
    for (let i = 0; i + 15 < code.length; i += 8) if (code[i] === 0x18 && code[i + 1] >> 4 === 1) code[i + 1] = (code[i + 1] & 0x0f) | (5 << 4);
    const maps = [
      { type: BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 16, maxEntries: 4, flags: 0 },
      { type: BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 64, maxEntries: 1, flags: 0 },
      { type: BPF_MAP_TYPE.BPF_MAP_TYPE_RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0 },
    ];
    verify(decode(code), { progType: SCHED_CLS_TYPE, maps });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

interface Hostile {
  name: string;
  text: string;
  /** Index of the instruction that must fault. */
  at: number;
  /** Prepare the world (e.g. materialise regions), returning values the program text needs. */
  setup?: (w: World) => Record<string, number>;
  /** Bytes that must be untouched after the run. */
  victim: (w: World) => Uint8Array;
}

/** r0 = &A[0] (slots 0..7: lddw takes two), then the case's own code from insn 8. */
const LOOKUP_A0 = `lddw %r1, 0x100000000
mov %r2, %r10
add %r2, -4
stw [%r10-4], 0
call 1
jne %r0, 0, +1
exit`;

const cases: Hostile[] = [
  {
    name: 'a map value pointer + k·2^32 onto another map (B)',
    setup: (w) => {
      const a0 = w.a.lookupElem(new Uint8Array(4), 0)!;
      const b0 = w.b.lookupElem(new Uint8Array(4), 0)!;
      return { delta: b0.hi - a0.hi };
    },
    text: `${LOOKUP_A0}
mov %r1, {delta}
lsh %r1, 32
add %r0, %r1
stdw [%r0+0], 0x41
mov %r0, 0
exit`,
    at: 11,
    victim: (w) => w.b.values.bytes,
  },
  {
    name: 'a map value pointer moved onto the packet by pointer arithmetic',
    text: `mov %r6, %r1
${LOOKUP_A0}
ldxw %r3, [%r6+76]
mov %r4, %r3
sub %r4, %r0
add %r0, %r4
stb [%r0+0], 0x41
mov %r0, 0
exit`,
    at: 13,
    victim: () => FRAME,
  },
  {
    name: 'a packet pointer moved onto a map value',
    text: `mov %r6, %r1
${LOOKUP_A0}
ldxw %r3, [%r6+76]
mov %r4, %r0
sub %r4, %r3
add %r3, %r4
stb [%r3+0], 0x41
mov %r0, 0
exit`,
    at: 13,
    victim: (w) => w.a.values.bytes,
  },
  {
    name: 'a forged constant address of a map element',
    setup: (w) => {
      const b0 = w.b.lookupElem(new Uint8Array(4), 0)!;
      return { addr: Number(Memory.address(b0, 0)) };
    },
    text: `lddw %r1, {addr}
stdw [%r1+0], 0x41
mov %r0, 0
exit`,
    at: 2,
    victim: (w) => w.b.values.bytes,
  },
  {
    name: 'an array value pointer past value_size into the next element',
    text: `${LOOKUP_A0}
stdw [%r0+16], 0x41
mov %r0, 0
exit`,
    at: 8,
    victim: (w) => w.a.values.bytes,
  },
  {
    name: 'a callee reading its caller\'s frame at r10 - 520',
    text: `stdw [%r10-8], 0x41
call local f
exit
f:
ldxdw %r0, [%r10-520]
exit`,
    at: 3,
    victim: () => new Uint8Array(0),
  },
  {
    name: 'a write above the frame top',
    text: `mov %r0, 0
stdw [%r10+8], 0x41
exit`,
    at: 1,
    victim: () => new Uint8Array(0),
  },
  {
    name: 'a caller writing into its callee\'s (next) frame through r10 + 504',
    text: `mov %r1, %r10
stdw [%r1+504], 0x41
mov %r0, 0
exit`,
    at: 1,
    victim: () => new Uint8Array(0),
  },
  {
    name: 'bpf_skb_load_bytes overflowing a 16-byte map value',
    text: `mov %r6, %r1
${LOOKUP_A0}
mov %r1, %r6
mov %r2, 0
mov %r3, %r0
mov %r4, 32
call 26
mov %r0, 0
exit`,
    at: 13,
    victim: (w) => w.a.values.bytes,
  },
  {
    name: 'a ring-buffer record written past its reserved size',
    text: `lddw %r1, 0x100000002
mov %r2, 16
mov %r3, 0
call 131
jne %r0, 0, +1
exit
stdw [%r0+16], 0x41
mov %r0, 0
exit`,
    at: 7,
    // Everything after the record (8-byte header + 16-byte sample at the ring's start).
    victim: (w) => w.rb.data.bytes.subarray(24),
  },
  {
    name: 'a ring-buffer record written after submit',
    text: `lddw %r1, 0x100000002
mov %r2, 16
mov %r3, 0
call 131
jne %r0, 0, +1
exit
mov %r6, %r0
mov %r1, %r0
mov %r2, 0
call 132
stdw [%r6+0], 0x41
mov %r0, 0
exit`,
    at: 11,
    // The submitted sample itself.
    victim: (w) => w.rb.data.bytes.subarray(8, 24),
  },
];

function fill(text: string, vars: Record<string, number>): string {
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k]));
}

describe('[vm/isolation]: hostile programs fault with E_BAD_ACCESS at the offending instruction', () => {
  for (const c of cases) {
    for (const engine of ENGINES) {
      it(`${c.name} (${engine}, verification off)`, () => {
        const w = world();
        const vars = c.setup?.(w) ?? {};
        const bytes = program(fill(c.text, vars));
        const before = c.victim(w).slice();
        const r = testRun(linkIn(w, bytes), w.mem, { data: FRAME, engine });
        expect(r.fault?.code, r.fault?.message ?? `retval ${r.retval}`).toBe(ErrorCode.BadAccess);
        expect(r.fault?.insnIndex).toBe(c.at);
        expect(c.victim(w)).toEqual(before);
      });
    }
    it(`${c.name} (verification on): refused at load or faulting at run, never silent`, () => {
      const w = world();
      const bytes = program(fill(c.text, c.setup?.(w) ?? {}));
      if (verifierRejects(bytes) !== undefined) return;
      const r = testRun(linkIn(w, bytes), w.mem, { data: FRAME });
      expect(r.fault?.code).toBe(ErrorCode.BadAccess);
    });
  }
});

describe('[vm/isolation]: what the kernel allows still works, under both engines', () => {
  const ok: { name: string; text: string; check: (w: World, retval: number) => void }[] = [
    {
      name: 'a pointer spilled to the stack and filled back stays a pointer',
      text: `${LOOKUP_A0}
stxdw [%r10-16], %r0
mov %r0, 0
ldxdw %r1, [%r10-16]
stdw [%r1+8], 0x41
mov %r0, 7
exit`,
      check: (w, retval) => {
        expect(retval).toBe(7);
        expect(w.a.values.bytes[8]).toBe(0x41);
      },
    },
    {
      name: 'a callee writes its caller\'s frame through a pointer argument',
      text: `mov %r1, %r10
add %r1, -8
call local f
ldxdw %r0, [%r10-8]
exit
f:
stdw [%r1+0], 9
exit`,
      check: (_w, retval) => expect(retval).toBe(9),
    },
    {
      name: 'a ring-buffer record is writable within its size until submitted',
      text: `lddw %r1, 0x100000002
mov %r2, 16
mov %r3, 0
call 131
jne %r0, 0, +1
exit
stdw [%r0+8], 0x41
mov %r1, %r0
mov %r2, 0
call 132
mov %r0, 3
exit`,
      check: (w, retval) => {
        expect(retval).toBe(3);
        expect(w.rb.consume().map((x) => x.data[8])).toEqual([0x41]);
      },
    },
    {
      name: 'the last element of an array is fully writable',
      text: `lddw %r1, 0x100000000
mov %r2, %r10
add %r2, -4
stw [%r10-4], 3
call 1
jne %r0, 0, +1
exit
stdw [%r0+8], -1
mov %r0, 1
exit`,
      check: (w, retval) => {
        expect(retval).toBe(1);
        expect(w.a.values.bytes.subarray(56, 64)).toEqual(new Uint8Array(8).fill(0xff));
      },
    },
  ];
  for (const c of ok) {
    for (const engine of ENGINES) {
      it(`${c.name} (${engine})`, () => {
        const w = world();
        const r = testRun(linkIn(w, program(c.text)), w.mem, { data: FRAME, engine });
        expect(r.fault, r.fault?.message).toBeUndefined();
        c.check(w, r.retval as number);
      });
    }
  }
});

describe('[vm/isolation]: released slots are not reused during a run', () => {
  it('a region released while a run is active keeps its slot until the run ends', () => {
    const mem = new Memory();
    mem.enterRun();
    const a = mem.alloc('scratch', new Uint8Array(8));
    mem.release(a);
    const b = mem.alloc('scratch', new Uint8Array(8));
    expect(b.hi).not.toBe(a.hi);
    mem.leaveRun();
    const c = mem.alloc('scratch', new Uint8Array(8));
    expect(c.hi).toBe(a.hi); // reusable once no run can hold a stale pointer
  });
});

describe('[vm/calls]: a tail call from a subprogram keeps the caller frames, and the target gets its own 8', () => {
  // main → f (frame 1) → tail call into `deep`, which calls 7 levels down (frames 2..8): 9 frames
  // in all, which the kernel runs (its 8-frame limit is per program, checked by the verifier).
  const helpers = buildHelperTable();
  const deepText = ['call local d1', 'exit'];
  for (let k = 1; k <= 7; k++) deepText.push(`d${k}:`, k < 7 ? `call local d${k + 1}` : 'mov %r0, 0', k < 7 ? 'add %r0, 1' : 'add %r0, 100', 'exit');
  const deep = link(decode(asm`${deepText.join('\n')}`), { name: 'deep', helpers });
  const tailHelpers = [...helpers];
  tailHelpers[12] = (c) => void (c.tailCall = deep);
  const main = link(decode(asm`call local f\nadd %r0, 1000\nexit\nf:\ncall 12\nmov %r0, 7\nexit`), { name: 'main', helpers: tailHelpers });
  for (const engine of ENGINES) {
    it(`runs 9 frames deep and returns through the caller (${engine})`, () => {
      const r = testRun(main, new Memory(), { data: FRAME, engine });
      expect(r.fault, r.fault?.message).toBeUndefined();
      // deep: 100 + 6 adds on the way up, then main adds 1000 after f's frame returns.
      expect(r.retval).toBe(1106);
    });
  }
  it('a program calling 8 deep from its own entry still faults with E_CALL_DEPTH', () => {
    const text = ['call local c1', 'exit'];
    for (let k = 1; k <= 8; k++) text.push(`c${k}:`, k < 8 ? `call local c${k + 1}` : 'mov %r0, 0', 'exit');
    const p = link(decode(asm`${text.join('\n')}`), { name: 'p', helpers });
    for (const engine of ENGINES) expect(testRun(p, new Memory(), { data: FRAME, engine }).fault?.code).toBe(ErrorCode.CallDepth);
  });
});
