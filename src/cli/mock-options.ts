/**
 * @fileoverview `--env FILE`, `--mock-time NS` and `--seed N`: the mocked world of src/mock-env.ts
 * for the commands that run programs (run, map dump, trace, cover, prog run). The file is JSON
 * (README "Mocks: --env, --mock-time, --seed"), read with the `env` size cap; `--mock-time` and
 * `--seed` override its `time_ns` and `seed`.
 */
import type { Command } from 'commander';
import { UsageError } from '../../vm/errors.js';
import { resolveMockEnv, type MockEnv } from '../mock-env.js';
import type { CliIo } from './io.js';

/** A u64 option value: decimal or 0x hex. */
function u64Arg(name: string): (v: string) => string {
  return (v) => {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(v) || BigInt(v) >= 1n << 64n) throw new UsageError(`${name}: expected an unsigned 64-bit integer (decimal or 0x hex), got ${JSON.stringify(v)}`);
    return v;
  };
}

/** Add the three options to `cmd`. */
export function addMockOptions(cmd: Command): Command {
  return cmd
    .option('--env <file>', 'JSON file mocking the world the program sees: time_ns, time_step_ns, seed, routes, neighbours, sockets, helpers (README "Mocks")')
    .option('--mock-time <ns>', 'bpf_ktime_get_ns at the start, in ns (overrides the env file\'s time_ns)', u64Arg('--mock-time'))
    .option('--seed <n>', 'seed of bpf_get_prandom_u32 (overrides the env file\'s seed)', u64Arg('--seed'));
}

/** The MockEnv the options ask for, or undefined when none is given. Errors name the file. */
export function mockFromOptions(io: CliIo, o: Record<string, unknown>): MockEnv | undefined {
  let env: MockEnv | undefined;
  if (o.env !== undefined) {
    const path = o.env as string;
    const text = new TextDecoder().decode(io.readFile(path, 'env'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--env ${path}: not JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--env ${path}: expected a JSON object`);
    env = parsed as MockEnv;
  }
  if (o.mockTime !== undefined) env = { ...env, time_ns: o.mockTime as string };
  if (o.seed !== undefined) env = { ...env, seed: o.seed as string };
  if (env !== undefined) {
    // Checked here so that a bad field is reported against the file, not as a load failure.
    try {
      resolveMockEnv(env);
    } catch (e) {
      if (e instanceof UsageError && o.env !== undefined) throw new UsageError(`--env ${o.env as string}: ${e.message.replace(/^env: /, '')}`);
      throw e;
    }
  }
  return env;
}
