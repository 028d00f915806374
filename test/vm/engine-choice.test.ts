import { describe, expect, it } from 'vitest';
import { chooseEngine, JIT_BREAK_EVEN_RUNS } from '../../vm/engine.js';

describe('[vm/engine]: auto engine choice', () => {
  it('keeps an explicit engine', () => {
    expect(chooseEngine('interp', 1e9)).toBe('interp');
    expect(chooseEngine('jit', 1)).toBe('jit');
  });
  it('uses the interpreter for short jobs and the JIT from the break-even point on', () => {
    expect(chooseEngine('auto', 1)).toBe('interp');
    expect(chooseEngine('auto', JIT_BREAK_EVEN_RUNS - 1)).toBe('interp');
    expect(chooseEngine('auto', JIT_BREAK_EVEN_RUNS)).toBe('jit');
  });
});
