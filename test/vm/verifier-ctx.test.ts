import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { VerifierError } from '../../vm/errors.js';
import { verify } from '../../vm/verifier/index.js';
import { hexBytes } from './asm.conformance-data.js';
import { VERIFIER_GOLDENS, kernelCases, kernelMessage, verifierError } from './verifier-harness.js';
import { assemble } from '../../vm/asm.js';

// Kernel verdicts for ctx and packet accesses: test/goldens/verifier/{ctx,pkt}-cases.{asm,kernel.json}
// (make.sh) and {ctx,pkt}-random.kernel.json (make-{ctx,pkt}-random.sh).
const goldens = VERIFIER_GOLDENS;
const cases = kernelCases('ctx-cases.kernel.json');
const lastLine = kernelMessage;

/** sched_cls (the oracle's type for raw programs), or no program type: a ctx without fields. */
const check = (bytes: Uint8Array, withCtx = true) => verifierError(bytes, withCtx ? { progType: SCHED_CLS_TYPE } : {});

describe('[vm/verifier]: ctx accesses against the 6.18 kernel (ctxAccess = checkCtxAccess)', () => {
  it('has the recorded cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  // gap_* were the verifier-lite's misses (a rejection on one path of several)
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(c.loaded).toBe(name.startsWith('ok_'));
    const err = check(hexBytes(c.prog));
    expect(err === undefined).toBe(c.loaded);
    if (err) expect(err.log.at(-1)).toBe(lastLine(c.verifier_log));
  });

  it('without a program type the ctx has no fields', () => {
    const ok = cases.filter((c) => c.loaded);
    expect(ok.some((c) => check(hexBytes(c.prog), false)?.log.at(-1)?.startsWith('invalid bpf_context access'))).toBe(true);
  });
});

describe('[vm/verifier]: 400 random ctx programs against the kernel (ctx-random.kernel.json)', () => {
  const random: { name: string; prog: string; loaded: boolean; last: string }[] = JSON.parse(
    readFileSync(new URL('ctx-random.kernel.json', goldens), 'utf8'),
  ).cases;
  it('agrees on every verdict and message', () => {
    expect(random.length).toBe(400);
    expect(random.filter((c) => c.loaded).length).toBeGreaterThan(40); // both verdicts are represented
    for (const c of random) {
      const err = check(hexBytes(c.prog));
      expect(err === undefined, c.name).toBe(c.loaded);
      if (err) expect(err.log.at(-1), c.name).toBe(c.last);
    }
  });
});

describe('[vm/verifier]: packet accesses against the 6.18 kernel (packet = data 76, data_end 80)', () => {
  const hand: { name: string; prog: string; loaded: boolean; verifier_log: string }[] = JSON.parse(
    readFileSync(new URL('pkt-cases.kernel.json', goldens), 'utf8'),
  ).cases;
  // gap_*: variable offsets, data_end dereference, pointers after helpers (the lite's misses)
  it.each(hand.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(c.loaded).toBe(name.startsWith('ok_'));
    const err = check(hexBytes(c.prog));
    expect(err === undefined).toBe(c.loaded);
    if (err) expect(err.log.at(-1)).toBe(lastLine(c.verifier_log));
  });

  it('agrees with the kernel on 400 random bounds checks and accesses (pkt-random.kernel.json)', () => {
    const random: { name: string; prog: string; loaded: boolean; last: string }[] = JSON.parse(
      readFileSync(new URL('pkt-random.kernel.json', goldens), 'utf8'),
    ).cases;
    expect(random.length).toBe(400);
    expect(random.filter((c) => c.loaded).length).toBeGreaterThan(40);
    for (const c of random) {
      const err = check(hexBytes(c.prog));
      expect(err === undefined, c.name).toBe(c.loaded);
      if (err) expect(err.log.at(-1), c.name).toBe(c.last);
    }
  });

});

describe('[vm/verifier]: ctx accesses in the progs/ objects', () => {
  const root = new URL('../../', import.meta.url);
  const load = (name: string) => loadCollectionSpec(new Uint8Array(readFileSync(new URL(`progs/${name}`, root))), { programType: 'sched_cls' });

  it('rejects invalid_ctx_write.bpf.o with the kernel message and source line', () => {
    const prog = load('invalid_ctx_write.bpf.o').programs[0];
    const lines = new Map(prog.lineInfo.map((l) => [l.insn, l] as const));
    let err: unknown;
    try {
      verify(prog.instructions, { progType: SCHED_CLS_TYPE, lineInfo: (i) => lines.get(i) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerifierError);
    // kernel (test/goldens/run/invalid_ctx_write.bad_ctx_write.json): "1: (63) *(u32 *)(r1 +0) = r2",
    // "invalid bpf_context access off=0 size=4", source invalid_ctx_write.bpf.c:9
    expect((err as VerifierError).log).toEqual(['1: (63) *(u32 *)(r1 +0) = r2', 'invalid bpf_context access off=0 size=4']);
    expect((err as VerifierError).source).toMatch(/invalid_ctx_write\.bpf\.c:9$/);
  });

  it('rejects invalid_verifier.bpf.o (packet read without a bounds check) as the kernel does', () => {
    const spec = load('invalid_verifier.bpf.o');
    const prog = spec.programs[0];
    let err: unknown;
    try {
      verify(prog.instructions, verifierOptionsFor(spec, prog));
    } catch (e) {
      err = e;
    }
    // kernel (test/goldens/run/invalid_verifier.bad_pkt_read.json): "1: (71) r0 = *(u8 *)(r1 +20)",
    // "invalid access to packet, off=20 size=1, R1(id=0,off=20,r=0)", "R1 offset is outside of the packet"
    expect((err as VerifierError).insnIndex).toBe(1);
    expect((err as VerifierError).log).toEqual([
      '1: (71) r0 = *(u8 *)(r1 +20)',
      'invalid access to packet, off=20 size=1, R1(id=0,off=20,r=0)',
      'R1 offset is outside of the packet',
    ]);
  });

  it('accepts every program of the objects the kernel loaded', () => {
    const manifest = JSON.parse(readFileSync(new URL('test/goldens/run/manifest.json', root), 'utf8')) as { goldens: { object: string; output: string }[] };
    const objects = [
      ...new Set(manifest.goldens.filter((g) => !('error' in JSON.parse(readFileSync(new URL(g.output, root), 'utf8')))).map((g) => g.object)),
    ];
    expect(objects.length).toBeGreaterThanOrEqual(15);
    for (const o of objects) {
      const spec = load(o.replace('progs/', ''));
      for (const prog of spec.programs) expect(() => verify(prog.instructions, verifierOptionsFor(spec, prog)), `${o} ${prog.name}`).not.toThrow();
    }
  });
});

describe('[vm/verifier]: packet pointers across a map lookup', () => {
  // The libbpf-style TTL pattern the verifier-lite refused ("R9 offset is outside of the
  // packet"): data_end spilled to the stack across bpf_map_lookup_elem, reloaded and compared.
  // The kernel's rule (recorded for a helper call in pkt-cases: ok_end_spilled_across_call): a
  // spilled pkt_end keeps its type, and helpers that do not change packet data keep packet
  // pointers; bpf_map_lookup_elem does not change packet data.
  const HASH = { type: 1, keySize: 4, valueSize: 8, maxEntries: 16, flags: 0 };
  const prog = (accessOff: number): Uint8Array => {
    const code = assemble(
      [
        'mov %r6, %r1',
        'ldxw %r7, [%r6+76]', // data
        'ldxw %r3, [%r6+80]', // data_end
        'stxdw [%r10-16], %r3', // spilled across the call
        'stw [%r10-4], 6',
        'lddw %r1, 0', // patched below: src = BPF_PSEUDO_MAP_IDX, map 0
        'mov %r2, %r10',
        'add %r2, -4',
        'call 1',
        'ldxdw %r9, [%r10-16]',
        'mov %r4, %r7',
        'add %r4, 34',
        'jgt %r4, %r9, +3',
        `ldxb %r0, [%r7+${accessOff}]`,
        'add %r0, -1',
        'stxb [%r7+22], %r0',
        'mov %r0, 0',
        'exit',
      ].join('\n'),
    );
    code[5 * 8 + 1] = 0x51; // dst r1, src 5
    return code;
  };
  it('accepts the program and refuses an access past the proven range', () => {
    expect(() => verify(prog(22), { progType: SCHED_CLS_TYPE, maps: [HASH] })).not.toThrow();
    // the kernel's first error line, then its context line (both in the log)
    let err: unknown;
    try {
      verify(prog(34), { progType: SCHED_CLS_TYPE, maps: [HASH] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerifierError);
    expect((err as VerifierError).message).toMatch(/^verifier: insn #14: invalid access to packet, off=34 size=1, R7\(id=0,off=34,r=34\)$/);
    expect((err as VerifierError).log.at(-1)).toBe('R7 offset is outside of the packet');
  });
});

describe('[vm/verifier]: spilled scalars that matter are compared exactly when pruning (stackPrecision)', () => {
  // Two paths spill a different r8 to fp-8 (a known 4, or skb->len unbounded), then meet; the
  // value is read back into r3 (by a fill, or by an atomic exchange through a pointer to the
  // slot) and moves a stack pointer. The 4 path is safe; the other must be refused, so the
  // second path must not be pruned against the first at the meeting point.
  const prog = (readBack: string[], other = 'mov %r8, %r6'): Uint8Array =>
    assemble(
      [
        'ldxw %r6, [%r1+0]', // skb->len: unknown
        'jgt %r6, 100, +2',
        'mov %r8, 4',
        'ja +1',
        other,
        'stxdw [%r10-8], %r8', // both paths meet here with different spills
        'mov %r7, 0',
        'jeq %r7, 1, +0',
        ...readBack,
        'mov %r2, %r10',
        'add %r2, -64',
        'add %r2, %r3',
        'ldxb %r0, [%r2+0]',
        'exit',
      ].join('\n'),
    );
  const fill = ['ldxdw %r3, [%r10-8]'];
  const xchg = ['mov %r4, %r10', 'add %r4, -8', 'mov %r3, 0', 'lock xchg [%r4+0], %r3'];

  it.each([
    ['a fill through r10', fill],
    ['an atomic exchange through a pointer to the slot', xchg],
  ])('refuses the unbounded path read back by %s', (_name, readBack) => {
    expect(() => verify(prog(readBack), { progType: SCHED_CLS_TYPE })).toThrow(VerifierError);
    // and with a bounded value on the other path too it is accepted: the refusal comes from the spill
    expect(() => verify(prog(readBack, 'mov %r8, 8'), { progType: SCHED_CLS_TYPE })).not.toThrow();
  });
});
