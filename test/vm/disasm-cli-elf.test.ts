import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

const obj = (name: string) => new URL(`../../progs/${name}`, import.meta.url).pathname;

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('[cli/disasm]: ELF objects', () => {
  it('prints every program of an object with its subprograms labelled', async () => {
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(obj('calls.bpf.o'))));
    const r = await cli('disasm', obj('calls.bpf.o'));
    expect(r.code).toBe(0);
    for (const prog of spec.programs) {
      const block = r.out.split(`${prog.section}/${prog.name}:\n`)[1]?.split(/\n\n/)[0];
      expect(block, prog.name).toBeDefined();
      const indexes = [...block!.matchAll(/^\s*(\d+): \(/gm)].map((m) => Number(m[1]));
      // one line per instruction, lddw's second slot skipped, up to the last slot
      expect(indexes[0]).toBe(0);
      expect(indexes.at(-1)! + 1 <= prog.instructions.length / 8).toBe(true);
      for (const sub of prog.subprograms) expect(block).toContain(`${sub.name}:\n${String(sub.insn).padStart(4)}: `);
    }
  });

  it('selects a section with "sec NAME" and names maps', async () => {
    const r = await cli('disasm', obj('legacy_maps.bpf.o'), 'sec', 'classifier');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\(18\) r1 = map\[legacy_counts\]/);
    expect(r.out).toContain('call bpf_map_lookup_elem#1');
    const none = await cli('disasm', obj('legacy_maps.bpf.o'), 'sec', 'nope');
    expect(none.code).toBe(1);
    expect(none.err).toContain('classifier');
  });

  it('interleaves the line info the loader found', async () => {
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(obj('calls.bpf.o'))));
    const r = await cli('disasm', obj('calls.bpf.o'));
    let n = 0;
    for (const prog of spec.programs) {
      for (const li of prog.lineInfo.filter((l) => l.text !== '')) {
        expect(r.out).toContain(`; ${li.text.trim()} (${li.file}:${li.line})`);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10); // calls.bpf.c is built with -g
    // a source line comes right before the instruction it describes
    expect(r.out).toMatch(/^; int calls_main\(struct __sk_buff \*skb\) \(\S*calls\.bpf\.c:\d+\)\n   0: \(bf\) r6 = r1$/m);
  });

  it('needs --type for sections libbpf does not know, as bpftool does', async () => {
    expect((await cli('disasm', obj('invalid_section.bpf.o'))).code).toBe(1);
    const r = await cli('disasm', obj('invalid_section.bpf.o'), '--type', 'sched_cls');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^xyzzy\/ingress\/\w+:$/m);
  });

  it('--verify checks tc programs with __sk_buff ctx and packet rules, citing the source line', async () => {
    // the kernel refused this object: test/goldens/run/invalid_verifier.bad_pkt_read.json
    const r = await cli('disasm', obj('invalid_verifier.bpf.o'), '--verify');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^; verifier: rejected at insn 1 \(\S*invalid_verifier\.bpf\.c:12\)$/m);
    expect(r.out).toContain(';   R1 offset is outside of the packet');
    const ctx = await cli('disasm', obj('invalid_ctx_write.bpf.o'), '--verify');
    expect(ctx.code).toBe(1);
    expect(ctx.out).toContain(';   invalid bpf_context access off=0 size=4');
  });

  it('runs the verifier-lite over every program with --verify', async () => {
    const r = await cli('disasm', obj('calls.bpf.o'), '--verify');
    expect(r.code).toBe(0);
    expect(r.out.match(/; verifier: ok/g)?.length).toBe(loadCollectionSpec(new Uint8Array(readFileSync(obj('calls.bpf.o')))).programs.length);
  });
});
