/**
 * @fileoverview `--env FILE`, `--mock-time NS` and `--seed N`: the mocked world of src/mock-env.ts
 * for the commands that run programs (run, map dump, trace, cover, prog run). The file is JSON
 * (README "Mocks: --env, --mock-time, --seed"), read with the `env` size cap; `--mock-time` and
 * `--seed` override its `time_ns` and `seed`. The options themselves are defined in args.ts
 * (`addMockOptions`): defining them must not load the mock environment's helpers.
 */
import { UsageError } from '../../vm/errors.js';
import { resolveMockEnv, type MockEnv } from '../mock-env.js';
import type { CliIo } from './io.js';

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
