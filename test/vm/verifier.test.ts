import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../vm/asm.js';
import { ErrorCode, VerifierError } from '../../vm/errors.js';
import { verify, type VerifierOptions } from '../../vm/verifier/index.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { hexBytes } from './asm.conformance-data.js';
import { VERIFIER_GOLDENS, kernelCases as loadKernelCases, kernelMessage, verifierError } from './verifier-harness.js';

const kernelCases = loadKernelCases('cases.kernel.json');
const opcodeCases: { op: number; prog: string; loaded: boolean; last: string }[] = JSON.parse(
  readFileSync(new URL('opcodes.kernel.json', VERIFIER_GOLDENS), 'utf8'),
).cases;

/** Raw programs are loaded by the oracle as sched_cls. */
const check = (bytes: Uint8Array, opts?: VerifierOptions) => verifierError(bytes, { progType: SCHED_CLS_TYPE, ...opts });

describe('[vm/verifier]: verdicts and messages against the 6.18 kernel', () => {
  it('has the recorded cases', () => expect(kernelCases.length).toBeGreaterThanOrEqual(80));

  // gap_* were the cases the verifier-lite could not decide (types, termination, BTF); the
  // verifier decides them as the kernel does
  it.each(kernelCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const err = check(hexBytes(c.prog));
    expect(err === undefined).toBe(c.loaded);
    if (err) {
      expect(err.code).toBe(ErrorCode.Verifier);
      expect(err.log.at(-1)).toBe(kernelMessage(c.verifier_log));
    }
  });

  it('names every case ok_, bad_ or gap_ consistently with the kernel', () => {
    for (const c of kernelCases) expect(c.loaded, c.name).toBe(c.name.startsWith('ok_'));
  });
});

describe('[vm/verifier]: every opcode byte against the kernel', () => {
  it('has 256 opcodes', () => expect(opcodeCases.length).toBe(256));
  // Each program is "OP with zero fields; r0 = 0; exit": verdict and message must match.
  it.each(opcodeCases.map((c) => [c.op.toString(16).padStart(2, '0'), c] as const))('opcode %s', (_h, c) => {
    const err = check(hexBytes(c.prog));
    expect(err === undefined).toBe(c.loaded);
    if (err) expect(err.log.at(-1)).toBe(c.last);
  });
});

describe('[vm/verifier]: API', () => {
  it('reports subprograms, call frames and stack use', () => {
    const r = verify(assemble('stdw [%r10-24], 0\ncall local f\nexit\nf: call local g\nexit\ng: mov %r0, 0\nstb [%r10-1], 1\nexit'));
    expect(r.subprogs).toEqual([0, 3, 5]);
    expect(r.maxCallFrames).toBe(3);
    expect(r.stackDepth).toEqual([24, 0, 1]);
  });

  it('throws VerifierError with index, opcode, a log and the source line', () => {
    const err = check(assemble('mov %r0, 0\nlsh %r0, 64\nexit'), {
      lineInfo: (i) => (i === 1 ? { file: 'x.c', line: 7, text: 'r <<= 64;' } : undefined),
    })!;
    expect(err).toBeInstanceOf(VerifierError);
    expect(err.insnIndex).toBe(1);
    expect(err.opcode).toBe(0x67);
    expect(err.source).toBe('x.c:7');
    expect(err.log).toEqual(['1: (67) r0 <<= 64', 'invalid shift 64']);
    expect(err.message).toContain('x.c:7');
  });

  it('takes the helper set, GPL and LD_ABS policy from options', () => {
    const call7 = assemble('call 7\nmov %r0, 0\nexit');
    expect(check(call7)).toBeUndefined();
    expect(check(call7, { helperAllowed: (id) => id !== 7 })?.log.at(-1)).toBe(
      'program of this type cannot use helper bpf_get_prandom_u32#7',
    );
    const printk = assemble('stdw [%r10-8], 0\nmov %r1, %r10\nadd %r1, -8\nmov %r2, 8\ncall 6\nmov %r0, 0\nexit');
    expect(check(printk)).toBeUndefined();
    expect(check(printk, { gplCompatible: false })?.log.at(-1)).toBe('cannot call GPL-restricted function from non-GPL compatible program');
    const ldabs = assemble('mov %r6, %r1\nldabsb 0\nexit');
    expect(check(ldabs, { allowLdAbs: false })?.insnIndex).toBe(1);
    const kfunc = hexBytes('85200000070000009500000000000000');
    expect(check(kfunc)?.log.at(-1)).toBe('kernel btf_id 7 is not a function');
    expect(check(kfunc, { kfuncAllowed: (id) => id === 7 })).toBeUndefined();
  });

  it('rejects empty and oversized programs, and never throws anything but BpfErrors', () => {
    expect(check(new Uint8Array(0))?.insnIndex).toBe(0);
    expect(check(assemble('mov %r0, 0\nexit'), { maxInsns: 1 })).toBeInstanceOf(VerifierError);
    // random programs: the verifier either accepts or throws VerifierError
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 2000; n++) {
      const len = 1 + (rnd() % 12);
      const b = new Uint8Array(len * 8).map(() => rnd());
      for (let i = 0; i < len; i++) if (rnd() < 128) b[i * 8 + 1] &= 0x1f; // keep many registers valid
      try {
        verify(b);
      } catch (e) {
        expect(e).toBeInstanceOf(VerifierError);
      }
    }
  });
});

describe('[vm/verifier]: call graph', () => {
  it('follows calls 8 frames deep and refuses a ninth', () => {
    // 8 levels, each calling the next twice: the path walk enters every call (2^7 paths)
    const lines: string[] = [];
    for (let l = 0; l < 8; l++) {
      lines.push(`f${l}:`);
      if (l < 7) for (let k = 0; k < 2; k++) lines.push(`call local f${l + 1}`);
      lines.push('mov %r0, 0', 'exit');
    }
    const t0 = Date.now();
    expect(verify(assemble(lines.join('\n'))).maxCallFrames).toBe(8);
    expect(Date.now() - t0).toBeLessThan(2000);
    // one more level is one frame too many
    const deeper = lines.join('\n').replace('f7:\nmov', 'f7:\ncall local f8\nmov') + '\nf8:\nmov %r0, 0\nexit';
    expect(check(assemble(deeper))?.log.at(-1)).toBe('the call stack of 9 frames is too deep');
  });
});
