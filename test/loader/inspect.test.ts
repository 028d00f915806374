/**
 * @fileoverview `tcxlab inspect OBJ` prints the CollectionSpec as JSON.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { GOLDENS } from './goldens.js';

describe('[cli/inspect]', () => {
  it('prints programs and maps of a legacy object', async () => {
    const io = memoryIo();
    expect(await run(['inspect', join(GOLDENS, 'legacy.bpf.o')], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.license).toBe('GPL');
    expect(j.kernelVersion).toBe(0x060600);
    expect(j.maps.map((m: { name: string }) => m.name)).toEqual(['lcounts', 'lperf']);
    expect(j.programs[0].name).toBe('cls');
    // one 8-byte hex word per instruction; legacy.objdump.txt: cls starts with "b4 01 00 00 00 00 00 00" (w1 = 0x0)
    expect(j.programs[0].instructions[0]).toBe('b401000000000000');
  });
  it('fails with E_UNKNOWN_SECTION without --type, loads with it', async () => {
    const io = memoryIo();
    expect(await run(['inspect', join(GOLDENS, 'unknown_section.bpf.o')], io)).toBe(1);
    expect(io.stderr).toContain('from-netdev');
    const io2 = memoryIo();
    expect(await run(['inspect', '--type', 'classifier', join(GOLDENS, 'unknown_section.bpf.o')], io2)).toBe(0);
    expect(JSON.parse(io2.stdout).programs[0].type.name).toBe('BPF_PROG_TYPE_SCHED_CLS');
  });
});
