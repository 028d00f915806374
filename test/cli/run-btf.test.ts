import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { builtinTargetBtfBytes } from '../../loader/btf/index.js';

const argv = ['run', 'progs/core.bpf.o', 'core_fields', 'test/goldens/run/packets/one_ipv4.txt'];

async function runJson(extra: string[]) {
  const io = memoryIo();
  const code = await run([...argv, ...extra], io);
  return { code, out: io.stdout ? JSON.parse(io.stdout) : undefined, err: io.stderr };
}

describe('[cli/run]: --btf FILE is the CO-RE target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcxlab-btf-'));
  it('the built-in target given as a file gives the same result as the default', async () => {
    const file = join(dir, 'target.btf');
    writeFileSync(file, builtinTargetBtfBytes());
    const a = await runJson([]);
    const b = await runJson(['--btf', file]);
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
  });
  it('a file that is not BTF is a load error', async () => {
    const file = join(dir, 'junk.btf');
    writeFileSync(file, new Uint8Array(64).fill(7));
    const r = await runJson(['--btf', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({ error: 'load' });
  });
});
