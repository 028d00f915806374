/**
 * Per-program refusal: a program that calls a kfunc or references a map type tcxlab does not
 * implement is refused with an error naming it; the rest of the object loads and runs (the
 * kernel would load them all if it had the kfunc: test/goldens/loader/refuse.bpf.c, whose
 * instruction layout is in refuse.objdump.txt).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { Collection, UnsupportedProgramError } from '../../src/collection.js';
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { GOLDENS } from './goldens.js';

const path = join(GOLDENS, 'refuse.bpf.o');
const bytes = (): Uint8Array => new Uint8Array(readFileSync(path));
const objdump = readFileSync(join(GOLDENS, 'refuse.objdump.txt'), 'utf8');

/** Instruction index of the first line of `fn` in objdump matching `re`, relative to fn's start. */
function insnOf(fn: string, re: RegExp): number {
  const body = objdump.slice(objdump.indexOf(`<${fn}>:`));
  const lines = body.split('\n').slice(1);
  for (const l of lines) {
    const m = /^\s+(\d+):/.exec(l);
    if (m && re.test(l)) return Number(m[1]);
  }
  throw new Error(`no ${re} in ${fn}`);
}

const ETH_IPV4 = Uint8Array.from(Buffer.from('02000000000202000000000108004500001c000100004011000000000000000000000000000000000000', 'hex'));

describe('[loader]: programs that use what tcxlab lacks are refused, the rest loads', () => {
  const spec = loadCollectionSpec(bytes());
  const coll = new Collection(spec);

  it('the loader lists the unknown kfunc on each program that links it (directly or through a subprogram)', () => {
    const byName = new Map(spec.programs.map((p) => [p.name, p]));
    expect(byName.get('uses_kfunc')?.unsupported).toEqual([{ kind: 'kfunc', name: 'bpf_some_kfunc', insn: insnOf('uses_kfunc', /call -0x1/) }]);
    const via = byName.get('via_subprog')!;
    const helperAt = via.subprograms.find((s) => s.name === 'helper')!.insn;
    expect(via.unsupported).toEqual([{ kind: 'kfunc', name: 'bpf_some_kfunc', insn: helperAt + insnOf('helper', /call -0x1/) }]);
    expect(byName.get('plain')?.unsupported).toBeUndefined();
    expect(byName.get('uses_xskmap')?.unsupported).toBeUndefined(); // map types are the runtime's business
  });

  it('only plain is loaded; the others are refused naming the kfunc or the map and its type', () => {
    expect([...coll.programs.keys()]).toEqual(['plain']);
    expect([...coll.refused.keys()].sort()).toEqual(['uses_kfunc', 'uses_xskmap', 'via_subprog']);
    const xsk = coll.refused.get('uses_xskmap')!;
    expect(xsk.unsupported).toEqual([{ kind: 'map', name: 'xsks', insn: expect.any(Number), detail: 'BPF_MAP_TYPE_XSKMAP' }]);
    expect(xsk.error.message).toContain('map "xsks" of type BPF_MAP_TYPE_XSKMAP');
    for (const name of ['uses_kfunc', 'via_subprog']) {
      let err: unknown;
      try {
        coll.program(name);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsupportedProgramError);
      expect((err as UnsupportedProgramError).code).toBe(ErrorCode.Unsupported);
      expect((err as Error).message).toContain('kfunc "bpf_some_kfunc"');
      expect((err as Error).message).toContain(`program "${name}"`);
    }
  });

  it('the refused map still exists (the kernel would create it); host operations on it are ENOTSUPP', () => {
    const m = coll.map('xsks');
    expect(m.maxEntries).toBe(4);
    expect(() => m.lookup(new Uint8Array(4))).toThrow(ErrnoError);
    try {
      m.lookup(new Uint8Array(4));
    } catch (e) {
      expect((e as ErrnoError).errno).toBe('ENOTSUPP');
    }
  });

  it('the loaded program runs and its map works', () => {
    expect(coll.run('plain', ETH_IPV4).retval).toBe(0xffffffff); // TC_ACT_UNSPEC
    expect(coll.map('hits').lookup(new Uint8Array(4))).toEqual(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
  });

  it('tcxlab run: the refused program is a load error naming the kfunc; another program of the object runs', async () => {
    const pkt = join(import.meta.dirname, '../goldens/run/packets/one_ipv4.txt');
    let io = memoryIo();
    expect(await run(['run', path, 'uses_kfunc', pkt], io)).toBe(1);
    const out = JSON.parse(io.stdout);
    expect(out).toMatchObject({ error: 'load', errname: 'ENOTSUPP' });
    expect(out.log).toContain('bpf_some_kfunc');
    io = memoryIo();
    expect(await run(['run', path, 'plain', pkt], io)).toBe(0);
    expect(JSON.parse(io.stdout).runs[0].retval).toBe(0xffffffff);
  });
});
