import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The corpus in progs/: committed objects must exist, be ELF BPF objects, and (when the pinned
// clang 19 is installed) be byte-identical to a fresh build of their source in another
// directory. The kernel goldens in test/goldens/run must cover the corpus and point at files that
// exist. Nothing here needs clang, root or BPF unless clang-19 is found.

const root = new URL('../../', import.meta.url).pathname;
const progsDir = join(root, 'progs');
const goldenDir = join(root, 'test/goldens/run');
const sources = readdirSync(progsDir).filter((f) => f.endsWith('.bpf.c')).sort();
const objects = readdirSync(progsDir).filter((f) => f.endsWith('.bpf.o')).sort();

interface Golden {
  name: string;
  object: string;
  program: string;
  packets: string;
  ctx: string | null;
  ctxOut: boolean;
  sets: { map: string; key: string; value: string }[];
  argv: string[];
  output: string;
  volatile: string[];
  cpu: number;
  /** The kernel refuses the object with these settings (a verifier fixture). */
  loadError?: boolean;
}
const manifest = JSON.parse(readFileSync(join(goldenDir, 'manifest.json'), 'utf8')) as {
  goldens: Golden[];
  notRecorded: { object: string; reason: string }[];
};

/** Names of the STT_FUNC symbols in sections other than .text (the entry programs). */
function entryPrograms(buf: Buffer): string[] {
  // ELF64 little-endian: section headers at e_shoff, e_shentsize 64.
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  const sh = (i: number) => {
    const o = shoff + i * 64;
    return {
      name: buf.readUInt32LE(o),
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
      link: buf.readUInt32LE(o + 0x28),
    };
  };
  const str = (tab: { offset: number }, off: number) => {
    const start = tab.offset + off;
    return buf.toString('latin1', start, buf.indexOf(0, start));
  };
  const shstr = sh(shstrndx);
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = sh(i);
    if (s.type !== 2) continue; // SHT_SYMTAB
    const strtab = sh(s.link);
    for (let o = s.offset; o < s.offset + s.size; o += 24) {
      const info = buf[o + 4];
      const shndx = buf.readUInt16LE(o + 6);
      if ((info & 0xf) !== 2 || (info >> 4) !== 1 || shndx === 0 || shndx >= shnum) continue;
      if (str(shstr, sh(shndx).name) === '.text') continue;
      names.push(str(strtab, buf.readUInt32LE(o)));
    }
  }
  return names;
}

function hasClang19(): boolean {
  const r = spawnSync(process.env.CLANG ?? 'clang-19', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /clang version 19\./.test(r.stdout) && spawnSync('make', ['--version']).status === 0;
}

describe('[progs]: committed objects', () => {
  it('has one object per source and no stray objects', () => {
    expect(sources.length).toBeGreaterThanOrEqual(20);
    expect(objects).toEqual(sources.map((s) => s.replace(/\.c$/, '.o')));
  });

  it.each(objects)('%s is a little-endian ELF64 relocatable for EM_BPF', (o) => {
    const buf = readFileSync(join(progsDir, o));
    expect(buf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(buf[4]).toBe(2); // ELFCLASS64
    expect(buf[5]).toBe(1); // ELFDATA2LSB
    expect(buf.readUInt16LE(0x10)).toBe(1); // ET_REL
    expect(buf.readUInt16LE(0x12)).toBe(247); // EM_BPF
    expect(entryPrograms(buf).length).toBeGreaterThan(0);
  });

  it('objects hold no absolute build path', () => {
    for (const o of objects) {
      const buf = readFileSync(join(progsDir, o));
      expect(buf.includes(Buffer.from(progsDir)), o).toBe(false);
    }
  });

  // Only meaningful with the pinned compiler; without it the checks above are all we can do.
  const clang = hasClang19();
  it(`objects are up to date with their sources (${clang ? 'clang-19 found: rebuilding' : 'no clang-19: skipped check, existence asserted above'})`, () => {
    if (!clang) {
      expect(objects.length).toBe(sources.length);
      return;
    }
    const tmp = mkdtempSync(join(tmpdir(), 'tcxlab-progs-'));
    try {
      for (const f of [...sources, 'Makefile']) cpSync(join(progsDir, f), join(tmp, f));
      cpSync(join(progsDir, 'include'), join(tmp, 'include'), { recursive: true });
      execFileSync('make', ['-s', '-C', tmp, 'all'], { stdio: 'pipe' });
      const stale = objects.filter((o) => !readFileSync(join(tmp, o)).equals(readFileSync(join(progsDir, o))));
      expect(stale, 'rebuild with `make -C progs` and commit the objects').toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('[progs]: kernel goldens manifest', () => {
  it('every entry names an existing object, program, packet file and output', () => {
    expect(manifest.goldens.length).toBeGreaterThan(50);
    const names = new Set<string>();
    for (const g of manifest.goldens) {
      expect(names.has(g.name), g.name).toBe(false);
      names.add(g.name);
      expect(existsSync(join(root, g.object)), g.object).toBe(true);
      expect(existsSync(join(root, g.packets)), g.packets).toBe(true);
      expect(existsSync(join(root, g.output)), g.output).toBe(true);
      expect(entryPrograms(readFileSync(join(root, g.object))), g.name).toContain(g.program);
      // argv is the exact oracle call: run OBJ PROG PACKETS [--ctx HEX|--ctx-out] [--set M K V]...
      expect(g.argv.slice(0, 4)).toEqual(['run', g.object, g.program, g.packets]);
      if (g.ctx !== null) {
        expect(g.ctx).toMatch(/^([0-9a-f]{2}){192}$/);
        expect(g.argv).toContain(g.ctx);
      }
      expect(g.argv.filter((a) => a === '--set').length).toBe(g.sets.length);
    }
  });

  it('every output is the oracle answer for that entry', () => {
    for (const g of manifest.goldens) {
      const out = JSON.parse(readFileSync(join(root, g.output), 'utf8'));
      if ('error' in out) {
        // only the negative fixtures (and entries marked loadError) fail, and only at load time
        if (g.loadError !== true) expect(g.object, g.name).toMatch(/invalid_/);
        expect(out.error).toBe('load');
        continue;
      }
      expect(out.prog).toBe(g.program);
      expect(out.cpu).toBe(g.cpu);
      const frames = readFileSync(join(root, g.packets), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
      expect(out.runs.length, g.name).toBe(frames.length);
      for (const r of out.runs) if (r.err === 0) expect('ctx_out' in r, g.name).toBe(g.ctxOut);
    }
  });

  it('covers every object except the documented loader-only fixtures', () => {
    const covered = new Set(manifest.goldens.map((g) => g.object));
    const skipped = new Set(manifest.notRecorded.map((n) => n.object));
    for (const o of objects) expect(covered.has(`progs/${o}`) || skipped.has(`progs/${o}`), o).toBe(true);
    for (const s of skipped) expect(covered.has(s)).toBe(false);
  });
});
