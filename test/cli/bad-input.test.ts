import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

describe('[cli]: bad input gives a clear message and exit status 1, never a crash', () => {
  it.each([
    [['run', '/nonexistent.o', 'p', '/nonexistent.txt'], /cannot read/],
    [['run', 'progs/bench_parse.bpf.o', 'nosuch', 'test/goldens/run/packets/one_ipv4.txt'], /no program "nosuch"/],
    [['prog', 'run', 'file', '/nonexistent.o', 'data_in', 'x'], /cannot read/],
    [['prog', 'run', 'id', '3'], /PROG must be `file OBJ/],
    [['disasm', '/nonexistent.o'], /cannot read/],
  ])('%j', async (argv, message) => {
    const io = memoryIo();
    const code = await run(argv as string[], io);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(message);
    expect(io.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
