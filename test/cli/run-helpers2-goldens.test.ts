/**
 * `tcxlab run` (in-process) on the helpers2 object reproduces the kernel's whole JSON answer:
 * every run and every map. Timers are left out here: the kernel fires them in real time between
 * the packets, `tcxlab run` never advances the clock (test/helpers/timer-clock.test.ts covers advanceClock).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { ENGINES } from '../../vm/engine.js';

const dir = new URL('../goldens/helpers2/', import.meta.url).pathname;

describe('tcxlab run on test/goldens/helpers2', () => {
  for (const prog of ['misc_cases', 'dynptr_cases', 'syncookie_cases']) {
    for (const engine of ENGINES) {
      it(`${prog} (${engine})`, async () => {
        const io = memoryIo();
        const code = await run(['run', `${dir}helpers2.bpf.o`, prog, `${dir}packets.txt`, '--engine', engine], io);
        expect(code, io.stderr).toBe(0);
        const ours = JSON.parse(io.stdout);
        const kernel = JSON.parse(readFileSync(`${dir}${prog}.out.json`, 'utf8'));
        for (const r of ours.runs) delete r.trace;
        expect(ours.runs).toEqual(kernel.runs);
        // Every map, the .bss result slots included: the per-boot values (task pointer, cgroup
        // id) are only stored as comparisons or equal 1 (root cgroup) on the recording machine.
        expect(ours.maps).toEqual(kernel.maps);
      });
    }
  }
});
