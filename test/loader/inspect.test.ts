/**
 * @fileoverview `tcxlab inspect OBJ` prints the CollectionSpec as JSON.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { GOLDENS, PROGS } from './goldens.js';
import { builtinTargetBtfBytes, DEFAULT_TARGET } from '../../loader/btf/index.js';
import { loadObject } from '../../src/index.js';

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
  it('names the CO-RE target: the built-in 6.18 vmlinux BTF by default', async () => {
    const core = join(PROGS, 'core.bpf.o');
    const io = memoryIo();
    expect(await run(['inspect', '--no-lines', core], io)).toBe(0);
    expect(JSON.parse(io.stdout).coreTarget).toBe(`built-in vmlinux BTF of Linux ${DEFAULT_TARGET.kernel}`);
    expect(DEFAULT_TARGET.kernel).toMatch(/^6\.18\./);
  });
  it('names the --btf file as the CO-RE target when one is given', async () => {
    const core = join(PROGS, 'core.bpf.o');
    const file = join(mkdtempSync(join(tmpdir(), 'tcxlab-inspect-')), 'vmlinux');
    writeFileSync(file, builtinTargetBtfBytes());
    const io2 = memoryIo();
    expect(await run(['inspect', '--no-lines', '--btf', file, core], io2)).toBe(0);
    expect(JSON.parse(io2.stdout).coreTarget).toBe(`--btf ${file}`);
  });
  it('an object without CO-RE relocations has no target', async () => {
    // no CO-RE relocations, no target
    const io3 = memoryIo();
    expect(await run(['inspect', join(GOLDENS, 'legacy.bpf.o')], io3)).toBe(0);
    expect(JSON.parse(io3.stdout).coreTarget).toBeUndefined();
  });
});

describe('[library = CLI]: loadObject takes unknown sections as sched_cls, like tcxlab run', () => {
  const file = join(GOLDENS, 'unknown_section.bpf.o');
  // 60-byte and 150-byte frames: from_netdev returns 2 (TC_ACT_SHOT) when skb->len > 100
  const frame = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i === 12 ? 8 : 0));
  it('loads without programType, as sched_cls; programType overrides', () => {
    const c = loadObject(file);
    expect(c.program('from_netdev').spec.type.name).toBe('BPF_PROG_TYPE_SCHED_CLS');
    expect(loadObject(file, { programType: 'sched_act' }).program('from_netdev').spec.type.name).toBe('BPF_PROG_TYPE_SCHED_ACT');
  });
  it('the library run and `tcxlab run` give the same results', async () => {
    const c = loadObject(file);
    const dir = mkdtempSync(join(tmpdir(), 'tcxlab-lib-'));
    const pk = join(dir, 'p.txt');
    writeFileSync(pk, `${Buffer.from(frame(60)).toString('hex')}\n${Buffer.from(frame(150)).toString('hex')}\n`);
    const io = memoryIo();
    expect(await run(['run', file, 'from_netdev', pk], io)).toBe(0);
    const cli = JSON.parse(io.stdout).runs.map((r: { retval: number }) => r.retval);
    expect(cli).toEqual([0, 2]);
    expect([c.run('from_netdev', frame(60)).retval, c.run('from_netdev', frame(150)).retval]).toEqual(cli);
  });
});
