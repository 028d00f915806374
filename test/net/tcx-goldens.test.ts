/**
 * Every tcx script under test/goldens/tcx (the oracle's examples, the tc_opts.c/tc_links.c
 * scenarios in selftests/, the errno paths in errno/, random differential scripts in random/,
 * stdin-fed scripts in stdin/) must give,
 * line for line, the JSON the real kernel gave through `oracle tcx` (recorded by record.sh).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { runTcxScript } from '../../src/net/script.js';

const root = join(import.meta.dirname, '../goldens/tcx');

function scripts(dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

function golden(script: string): { setup: string; lines: string[] } {
  const all = readFileSync(join(root, script.replace(/\.txt$/, '.out.json')), 'utf8').split('\n').filter(Boolean);
  return { setup: all[0], lines: all.slice(1) };
}

const groups: Array<[string, boolean]> = [
  ['.', true],
  ['selftests', true],
  ['errno', true],
  ['random', true],
  ['stdin', false],
];

describe('tcx scripts against the kernel goldens', () => {
  for (const [dir, fromFile] of groups) {
    for (const s of scripts(dir)) {
      it(s, () => {
        const want = golden(s);
        const r = runTcxScript(readFileSync(join(root, s)).toString('latin1'), { fromFile });
        expect(r.setup).toBe(want.setup);
        expect(r.lines).toEqual(want.lines);
        const errors = want.lines.filter((l) => l.includes('"result":"script-error"')).length;
        expect(r.scriptErrors).toBe(errors);
        expect(r.exitCode).toBe(errors ? 3 : 0);
      });
    }
  }

  it('covers every checklist scenario file that the recorder knows', () => {
    expect(scripts('selftests').length).toBeGreaterThanOrEqual(58);
    expect(scripts('.').length).toBe(10);
  });
});

describe('tcxlab tcx-script', () => {
  it('prints the golden lines for a file and exits 0', async () => {
    const io = memoryIo();
    const code = await run(['tcx-script', join(root, 'tcx_links.txt')], io);
    expect(code).toBe(0);
    expect(io.stdout.split('\n').filter(Boolean)).toEqual(golden('tcx_links.txt').lines);
  });

  it('reads standard input with "-" (programs then start at fd 3)', async () => {
    const io = memoryIo(readFileSync(join(root, 'stdin/fds.txt'), 'utf8'));
    const code = await run(['tcx-script', '-'], io);
    expect(code).toBe(0);
    expect(io.stdout.split('\n').filter(Boolean)).toEqual(golden('stdin/fds.txt').lines);
  });

  it('exits 3 on script errors, like the oracle', async () => {
    const io = memoryIo();
    const code = await run(['tcx-script', join(root, 'selftests/tc_opts_dev_cleanup_ingress.txt')], io);
    expect(code).toBe(3);
    expect(io.stdout).toContain('"result":"script-error","message":"no device \'tcx_opts1p\'"');
  });

  it('--setup prints the oracle setup line first', async () => {
    const io = memoryIo();
    await run(['tcx-script', '--setup', join(root, 'tcx_query.txt')], io);
    expect(io.stdout.split('\n')[0]).toBe(golden('tcx_query.txt').setup);
  });

  it('--ids adds our ids to progs, links, queries and link info', async () => {
    const io = memoryIo('progs 2\nlink ingress p1 as l1\nattach ingress p2\nquery ingress\nlink-info l1\n');
    await run(['tcx-script', '--ids', '-'], io);
    const lines = io.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines[0].prog_ids).toHaveLength(2);
    const [id1, id2] = lines[0].prog_ids;
    expect(id2).not.toBe(id1);
    expect(lines[1].link_id).toBeGreaterThan(0);
    expect(lines[3].prog_ids).toEqual([id1, id2]);
    expect(lines[3].link_ids).toEqual([lines[1].link_id, 0]);
    expect(lines[4]).toMatchObject({ link_id: lines[1].link_id, prog_id: id1 });
  });

  it('script errors keep the oracle messages', () => {
    const r = runTcxScript(
      'progs 1\nattach\nattach sideways p1\nattach ingress\nattach ingress p1 rev\nattach ingress p1 rel-raw -1\n' +
        'link ingress p1\nquery-small ingress 300\nfrobnicate\ndetach ingress p1 p1\nprog-close p1\nattach ingress p1\n',
    );
    const msgs = r.lines.map((l) => JSON.parse(l).message).slice(1);
    expect(msgs).toEqual([
      'bad arguments',
      "direction must be ingress or egress, not 'sideways'",
      'usage: attach DIR PROG [opts]',
      'rev needs a number',
      'rel-raw needs a 32-bit number',
      'usage: link DIR PROG as LNAME [opts]',
      'K must be 0..256',
      "unknown operation 'frobnicate'",
      "unexpected token 'p1'",
      undefined,
      'program p1 was closed',
    ]);
    expect(r.exitCode).toBe(3);
  });
});

describe('ids (recorded with --ids; compared relative to the first id of each kind)', () => {
  /** Rewrites prog/link ids as offsets from the first one seen, so kernel and emulator compare. */
  function normalise(lines: string[]): unknown[] {
    let prog0: number | undefined;
    let link0: number | undefined;
    const p = (id: number) => (id === 0 ? 0 : id - (prog0 ??= id));
    const l = (id: number) => (id === 0 ? 0 : id - (link0 ??= id));
    return lines.map((s) => {
      const o = JSON.parse(s);
      if (o.prog_ids) o.prog_ids = o.prog_ids.map(p);
      if (o.link_ids) o.link_ids = o.link_ids.map(l);
      if (o.link_id !== undefined) o.link_id = l(o.link_id);
      if (o.prog_id !== undefined) o.prog_id = p(o.prog_id);
      return o;
    });
  }
  for (const s of scripts('ids')) {
    it(s, () => {
      const want = golden(s);
      const r = runTcxScript(readFileSync(join(root, s)).toString('latin1'), { ids: true });
      expect(normalise(r.lines)).toEqual(normalise(want.lines));
    });
  }
});

describe('tcxlab tcx-script input errors', () => {
  it('an unreadable file exits 2 with a message, like the oracle', async () => {
    const io = memoryIo();
    const code = await run(['tcx-script', join(root, 'no-such-script.txt')], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain('no-such-script.txt');
    expect(io.stdout).toBe('');
  });
});
