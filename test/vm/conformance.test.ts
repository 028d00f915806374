/**
 * bpf_conformance (test/data/conformance, 313 upstream cases): every case under the interpreter
 * from the raw hex of cases.jsonl, the `tcxlab conformance` command on the .data files (through
 * the assembler), and the plugin protocol, in-process for every case and as a real process
 * (one per case, as bpf_conformance_runner starts it) for a sample.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDataFile, runConformanceProgram } from '../../src/cli/commands/conformance.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'test', 'data', 'conformance');

interface JsonCase {
  file: string;
  raw: string;
  mem?: string;
  result: string;
}
const cases: JsonCase[] = readFileSync(join(dir, 'cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonCase);

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** Upstream's plugin encoding: "%02x" bytes, two spaces apart. */
const spaced = (b: Uint8Array): string => [...b].map((x) => `${x.toString(16).padStart(2, '0')}  `).join('');

describe('[vm/conformance]: bpf_conformance suite under the interpreter', () => {
  it('has all 313 cases and .data files, licence and README', () => {
    expect(cases).toHaveLength(313);
    expect(readdirSync(dir).filter((f) => f.endsWith('.data'))).toHaveLength(313);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/MIT/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/bpf_conformance/);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_f, c) => {
    const out = runConformanceProgram(hex(c.raw), c.mem ? hex(c.mem) : new Uint8Array(0));
    expect(out).toEqual({ ok: true, r0: BigInt.asUintN(64, BigInt(c.result)) });
  });

  it('.data parsing agrees with cases.jsonl (mem and result)', () => {
    for (const c of cases) {
      const d = parseDataFile(readFileSync(join(dir, c.file), 'utf8'));
      expect(d.result, c.file).toBe(BigInt.asUintN(64, BigInt(c.result)));
      expect(Buffer.from(d.mem).toString('hex'), c.file).toBe((c.mem ?? '').replace(/\s+/g, '').toLowerCase());
    }
  });
});

describe('[vm/conformance]: tcxlab conformance', () => {
  it('passes 313/313 on the bundled suite (asm sections assembled)', async () => {
    const io = memoryIo();
    const code = await run(['conformance'], io);
    expect(io.stdout).toContain('Passed 313 out of 313 tests.');
    expect(io.stdout).not.toContain('FAIL:');
    expect(io.stdout.match(/^PASS: /gm)).toHaveLength(313);
    expect(code).toBe(0);
  });

  it('reports failures, honours -- error and -- raw, and exits 1', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tcxlab-conf-'));
    writeFileSync(join(tmp, 'a-good.data'), '-- asm\nmov %r0, 3\nexit\n-- result\n0x3\n');
    writeFileSync(join(tmp, 'b-wrong.data'), '-- asm\nmov %r0, 4\nexit\n-- result\n0x3\n');
    writeFileSync(join(tmp, 'c-error.data'), '-- raw\nff00000000000000\n9500000000000000\n-- error\nunknown opcode\n');
    writeFileSync(join(tmp, 'd-noerror.data'), '-- asm\nmov %r0, 1\nexit\n-- error\nsomething\n');
    writeFileSync(join(tmp, 'e-mem.data'), '-- asm\nldxh %r0, [%r1+1]\nadd %r0, %r2\nexit\n-- mem\n00 34 12\n-- result\n0x1237\n');
    const io = memoryIo();
    const code = await run(['conformance', tmp], io);
    expect(io.stdout).toContain('PASS: a-good.data');
    expect(io.stdout).toMatch(/FAIL: b-wrong\.data \(r0 = 0x4, expected 0x3\)/);
    expect(io.stdout).toContain('PASS: c-error.data');
    expect(io.stdout).toMatch(/FAIL: d-noerror\.data/);
    expect(io.stdout).toContain('PASS: e-mem.data');
    expect(io.stdout).toContain('Passed 3 out of 5 tests.');
    expect(code).toBe(1);
  });

  it('rejects an unknown engine', async () => {
    const io = memoryIo();
    expect(await run(['conformance', '--engine', 'fast'], io)).toBe(1);
    expect(io.stderr).toMatch(/unknown engine/);
  });
});

describe('[vm/conformance]: conformance-plugin', () => {
  it('in-process: every case through the plugin protocol', async () => {
    for (const c of cases) {
      const io = memoryIo(`${spaced(hex(c.raw))}\n`);
      const code = await run(['conformance-plugin', spaced(c.mem ? hex(c.mem) : new Uint8Array(0)), ''], io);
      expect(code, c.file).toBe(0);
      expect(io.stdout, c.file).toBe(`${BigInt.asUintN(64, BigInt(c.result)).toString(16)}\n`);
    }
  });

  it('in-process: an error exits 1 with the message on stderr', async () => {
    const io = memoryIo('ff00000000000000 9500000000000000\n');
    expect(await run(['conformance-plugin'], io)).toBe(1);
    expect(io.stderr).toMatch(/unknown opcode/);
    expect(io.stdout).toBe('');
  });

  /** Start the CLI exactly as bpf_conformance_runner starts a plugin: argv MEMHEX OPTIONS, program on stdin. */
  function spawnPlugin(memHex: string, program: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'conformance-plugin', memHex, ''], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(`${program}\n`);
    });
  }

  it('as a process, one per case (sample)', async () => {
    const sample = ['add.data', 'ldxh.data', 'mul64-reg.data', 'call_local.data', 'callx.data', 'lock_cmpxchg.data'];
    const picked = cases.filter((c) => sample.includes(c.file));
    expect(picked.length).toBeGreaterThanOrEqual(5);
    const results = await Promise.all(picked.map((c) => spawnPlugin(spaced(c.mem ? hex(c.mem) : new Uint8Array(0)), spaced(hex(c.raw)))));
    results.forEach((r, k) => {
      expect(r.code, `${picked[k].file}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim()).toBe(BigInt.asUintN(64, BigInt(picked[k].result)).toString(16));
    });
    const bad = await spawnPlugin('', 'ff00000000000000');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown opcode/);
  }, 60_000);
});
