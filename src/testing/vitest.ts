/**
 * @fileoverview vitest's types for tcxlab's matchers. Import it once where the matchers are
 * registered (`import 'tcxlab/vitest'`, next to `expect.extend(matchers)`), and
 * `expect(r).toHaveVerdict(...)` / `toEqualPacket(...)` typecheck. It holds types only: at run
 * time it is an empty module, so vitest stays out of the library's dependencies.
 */
// Puts vitest in the program, so the augmentation below resolves even where nothing else
// imports it (the declaration build); erased from the JavaScript.
import type {} from 'vitest';
import type { TcxlabMatchers } from './matchers.js';

declare module 'vitest' {
  // vitest ≥ 3.2 merges custom matchers through Matchers (Assertion extends it); augmenting
  // Assertion itself no longer reaches the re-exported interface.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends TcxlabMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends TcxlabMatchers {}
}

export {};
