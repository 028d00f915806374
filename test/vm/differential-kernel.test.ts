/**
 * Kernel-mode random programs (random-programs.ts with `kernel: true`: programs the kernel's
 * verifier accepts) under the interpreter and the JIT. Always: the two engines agree on 1,000 of
 * them. With TCXLAB_ORACLE=/path/to/oracle (the kernel oracle, docs/kernel-oracle.md; needs root;
 * never in CI) the same programs
 * also run in the real kernel through `oracle raw PROGHEX PACKETHEX`, and r0 (the u32 retval of
 * the sched_cls test run) must match; programs the kernel rejects are counted and listed, not
 * compared. TCXLAB_ORACLE_N sets how many (default 300).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateProgram, observe } from './random-programs.js';

const PACKET = '02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67';
const oraclePath = process.env.TCXLAB_ORACLE ?? '';
const oracle = oraclePath !== '';
const N = oracle ? Number(process.env.TCXLAB_ORACLE_N ?? 300) : 1000;

/** Programs per `it`, so no test blocks its worker for long on a loaded machine. */
const CHUNK = 100;

describe('[vm/differential]: kernel-mode random programs', () => {
  for (let first = 0; first < N; first += CHUNK) {
    const last = Math.min(N, first + CHUNK);
    it(`programs ${first}..${last - 1}: interpreter and JIT agree${oracle ? ', and the kernel agrees' : ''}`, () => {
      const bad: string[] = [];
      const rejected: string[] = [];
      let compared = 0;
      for (let k = first; k < last; k++) {
        const seed = 500_000 + k;
        const p = generateProgram(seed, { kernel: true });
        const a = observe(p.bytes, 'interp');
        const b = observe(p.bytes, 'jit');
        if (JSON.stringify(a) !== JSON.stringify(b)) bad.push(`seed ${seed}: engines differ`);
        expect(a.fault, `seed ${seed}`).toBeUndefined();
        if (!oracle) continue;
        const hex = Buffer.from(p.bytes).toString('hex');
        const out = JSON.parse(execFileSync(oraclePath, ['raw', hex, PACKET], { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
          loaded: boolean;
          load_error?: string;
          verifier_log?: string;
          retval?: number;
        };
        if (!out.loaded) {
          const log = (out.verifier_log ?? '').trim().split('\n').slice(-2).join(' | ');
          rejected.push(`seed ${seed}: ${out.load_error ?? ''} ${log}`);
          continue;
        }
        compared++;
        if (out.retval !== a.r0lo >>> 0) bad.push(`seed ${seed}: kernel ${out.retval}, vm ${a.r0lo >>> 0} (${hex})`);
      }
      if (oracle) {
        console.log(`kernel: ${compared} compared, ${rejected.length} rejected, ${bad.length} disagreements`);
        for (const r of rejected.slice(0, 20)) console.log(`  rejected ${r}`);
        for (const r of bad.slice(0, 20)) console.log(`  DIFF ${r}`);
      }
      expect(bad).toEqual([]);
    }, 600_000);
  }
});
