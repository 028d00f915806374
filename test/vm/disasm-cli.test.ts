import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { assemble } from '../../vm/asm.js';

const dir = mkdtempSync(join(tmpdir(), 'tcxlab-disasm-'));
const file = (name: string, data: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const prog = assemble('mov %r0, 0\njeq %r1, 0, +2\nlddw %r0, 0x1122334455667788\ncall 1\nexit');

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('[cli/disasm]: raw bytecode', () => {
  it('prints kernel-style lines with indexes', async () => {
    const r = await cli('disasm', file('p.bin', prog));
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      ['   0: (b7) r0 = 0', '   1: (15) if r1 == 0x0 goto pc+2', '   2: (18) r0 = 0x1122334455667788', '   4: (85) call bpf_map_lookup_elem#1', '   5: (95) exit', ''].join('\n'),
    );
  });

  it('reads hex text, drops opcodes, prints conformance syntax that reassembles', async () => {
    const hexText = Buffer.from(prog).toString('hex').replace(/(.{16})/g, '$1\n');
    const r = await cli('disasm', file('p.hex', hexText), '--hex', '--no-opcodes');
    expect(r.out.split('\n')[1]).toBe('   1: if r1 == 0x0 goto pc+2');
    const c = await cli('disasm', file('p2.bin', prog), '--format', 'conformance');
    expect(Buffer.from(assemble(c.out)).toString('hex')).toBe(Buffer.from(prog).toString('hex'));
  });

  it('runs the verifier-lite on request', async () => {
    const ok = await cli('disasm', file('ok.bin', assemble('mov %r0, 0\nexit')), '--verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('; verifier: ok');
    const bad = await cli('disasm', file('bad.bin', assemble('mov %r0, 1\ndiv %r0, 0\nexit')), '--verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(';   div by zero');
  });

  it('reports usage errors', async () => {
    expect((await cli('disasm', file('odd.bin', new Uint8Array(5)))).code).toBe(1);
    expect((await cli('disasm', file('p3.bin', prog), 'sec', 'tc')).code).toBe(1);
    expect((await cli('disasm', file('p4.bin', prog), '--format', 'x')).code).toBe(1);
    expect((await cli('disasm', file('p5.hex', 'zz'), '--hex')).code).toBe(1);
  });
});
