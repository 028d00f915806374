/**
 * Global variables set by name before load, end to end against the kernel: the library's
 * `loadObject(path, { rodata, data })` must give the runs (retval, packet, ctx_out) and the
 * maps the real kernel gave when the oracle wrote the same bytes into the sections before load
 * (test/goldens/run/manifest.py, globals_cfg.* and globals.globals_rw.override, recorded with
 * record.sh). The values here are the manifest's, spelled as a test author would.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject, VerifierError, type Collection } from '../src/index.js';
import { ErrorCode } from '../vm/errors.js';
import { parseHexFrames } from '../src/pcap/input.js';
import type { VariableOptions } from '../src/variables.js';

const ROOT = new URL('../', import.meta.url).pathname;
const golden = (name: string) => JSON.parse(readFileSync(`${ROOT}test/goldens/run/${name}.json`, 'utf8'));
const frames = parseHexFrames(readFileSync(`${ROOT}test/goldens/run/packets/mixed.txt`, 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const CFG = `${ROOT}progs/globals_cfg.bpf.o`;
const GLOBALS = `${ROOT}progs/globals.bpf.o`;

/** The kernel's runs of `goldenName` replayed on a collection loaded with `opts`. */
function replay(obj: string, prog: string, goldenName: string, opts: VariableOptions): { coll: Collection; kernel: any } {
  const kernel = golden(goldenName);
  const coll = loadObject(obj, opts);
  expect(kernel.runs.length).toBe(frames.length);
  frames.forEach((f, i) => {
    const r = coll.run(prog, f.data, { ctxOut: true });
    const k = kernel.runs[i];
    const ok = r.err === 0;
    expect({ line: f.line, err: r.err, retval: r.retval, data_out: ok ? hex(r.dataOut) : undefined, ctx_out: ok && r.ctxOut ? hex(r.ctxOut) : undefined }, `frame of line ${f.line}`).toEqual({
      line: k.line,
      err: k.err === 0 ? 0 : k.errname,
      retval: k.retval,
      data_out: k.data_out,
      ctx_out: k.ctx_out,
    });
  });
  // Every global-data map ends as the kernel's did (its name is libbpf's in both).
  for (const [name, dump] of Object.entries<any>(kernel.maps)) expect(coll.map(name).dumpJson().entries, `map ${name}`).toEqual(dump.entries);
  return { coll, kernel };
}

/** The manifest's `config` variant of progs/globals_cfg, by name and typed value. */
const CONFIG: VariableOptions = {
  rodata: {
    cfg_slot: 3,
    ENCAP_PORT: 6080,
    cfg_small: -128,
    cfg_enabled: false,
    cfg_mode: 'MODE_DROP',
    cfg_delta: -10_000_000_000n,
    cfg_name: 'vxlan',
    cfg_weights: [100, 200, 300, 400],
    cfg_limit: 7, // in .rodata.config
  },
  data: { balance: 5000 },
};

describe('variables before load, against kernel goldens', () => {
  it('globals_cfg defaults: no options, the kernel runs', () => {
    const { coll } = replay(CFG, 'cfg_pick', 'globals_cfg.cfg_pick', {});
    expect(coll.variable('cfg_slot').get()).toBe(1);
  });

  it('globals_cfg config: every kind of value set by name gives the kernel runs and maps', () => {
    const { coll, kernel } = replay(CFG, 'cfg_pick', 'globals_cfg.cfg_pick.config', CONFIG);
    // The kernel's bytes, read back through the variables' types.
    const rodata = Buffer.from(kernel.maps['globals_.rodata'].entries[0][1], 'hex');
    expect(rodata.readUInt16LE(4)).toBe(coll.variable('ENCAP_PORT').get());
    expect(rodata.readBigInt64LE(16)).toBe(coll.variable('cfg_delta').get());
    const bss = Buffer.from(kernel.maps['globals_.bss'].entries[0][1], 'hex');
    expect(coll.variable('hits').get()).toBe(bss.readBigUInt64LE(0));
    const data = Buffer.from(kernel.maps['globals_.data'].entries[0][1], 'hex');
    expect(coll.variable('balance').get()).toBe(data.readInt32LE(0));
  });

  it('globals_cfg slot0: cfg_slot 0 and MODE_PASS by number', () => {
    replay(CFG, 'cfg_pick', 'globals_cfg.cfg_pick.slot0', { rodata: { cfg_slot: 0, cfg_mode: 0 } });
  });

  it("the verifier sees the frozen .rodata value: cfg_slot 4 is refused as the kernel refuses it", () => {
    const kernel = golden('globals_cfg.cfg_pick.badslot');
    expect(kernel.errname).toBe('EACCES');
    expect(kernel.libbpf_log).toContain('invalid read from stack');
    let err: unknown;
    try {
      loadObject(CFG, { rodata: { cfg_slot: 4 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerifierError);
    expect((err as VerifierError).code).toBe(ErrorCode.Verifier);
    expect((err as Error).message).toContain('invalid read from stack');
    // Every in-range value loads (the access stays inside table[4]).
    for (const slot of [0, 1, 2, 3]) expect(() => loadObject(CFG, { rodata: { cfg_slot: slot } })).not.toThrow();
  });

  it('globals override: cfg_mark, cfg_tag and seen_packets by name give the kernel runs', () => {
    replay(GLOBALS, 'globals_rw', 'globals.globals_rw.override', { rodata: { cfg_mark: 0x99, cfg_tag: [0x41, 0x42, 0x43, 0x44] }, data: { seen_packets: 1000 } });
  });

  it('globals override, the tag given as a string', () => {
    replay(GLOBALS, 'globals_rw', 'globals.globals_rw.override', { rodata: { cfg_mark: 0x99, cfg_tag: 'ABCD' }, data: { seen_packets: 1000 } });
  });
});

describe('variables after load', () => {
  it('a .data write between runs is what the next run sees; .bss counts what the program did', () => {
    const kernelDefault = golden('globals_cfg.cfg_pick');
    const coll = loadObject(CFG);
    const first = frames[0];
    const r0 = coll.run('cfg_pick', first.data, { ctxOut: true });
    expect(hex(r0.ctxOut!)).toBe(kernelDefault.runs[0].ctx_out);
    // cb[4] = balance (cfg_enabled): after set(), the program reads the new value.
    coll.variable('balance').set(-77);
    const r1 = coll.run('cfg_pick', first.data, { ctxOut: true });
    expect(Buffer.from(r1.ctxOut!).readInt32LE(48 + 16)).toBe(-77);
    expect(coll.variable('balance').get()).toBe(-77 + first.data.length);
    expect(coll.variable('hits').get()).toBe(2n);
  });

  it('.rodata is read-only after load', () => {
    const coll = loadObject(CFG, { rodata: { ENCAP_PORT: 6080 } });
    expect(coll.variable('ENCAP_PORT').get()).toBe(6080);
    expect(() => coll.variable('ENCAP_PORT').set(1)).toThrow(expect.objectContaining({ code: ErrorCode.ReadOnlyVariable }));
    expect(coll.variable('ENCAP_PORT').get()).toBe(6080);
  });
});

describe('tcxlab run --var', () => {
  it('the config variant by name on the command line gives the kernel JSON (runs and maps)', async () => {
    const { run } = await import('../src/cli/main.js');
    const { memoryIo } = await import('../src/cli/io.js');
    const io = memoryIo();
    const code = await run(
      [
        'run', CFG, 'cfg_pick', `${ROOT}test/goldens/run/packets/mixed.txt`, '--ctx-out', '--engine', 'interp',
        '--var', 'cfg_slot=3', 'ENCAP_PORT=6080', 'cfg_small=-128', 'cfg_enabled=false', 'cfg_mode=MODE_DROP',
        'cfg_delta=-10000000000', 'cfg_name=vxlan', 'cfg_weights=[100,200,300,400]', 'cfg_limit=7', 'balance=0x1388',
      ],
      io,
    );
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const ours = JSON.parse(io.stdout);
    const kernel = golden('globals_cfg.cfg_pick.config');
    expect(ours.runs).toEqual(kernel.runs);
    for (const [name, dump] of Object.entries<any>(kernel.maps)) expect(ours.maps[name].entries, name).toEqual(dump.entries);
  });

  it('an unknown name is a typed error with the closest names, and no output', async () => {
    const { run } = await import('../src/cli/main.js');
    const { memoryIo } = await import('../src/cli/io.js');
    const io = memoryIo();
    const code = await run(['run', CFG, 'cfg_pick', `${ROOT}test/goldens/run/packets/mixed.txt`, '--var', 'ENCAP_PROT=1'], io);
    expect(code).not.toBe(0);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain('did you mean ENCAP_PORT');
  });
});
