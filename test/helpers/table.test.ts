/**
 * The runtime's helper table against the helper records (vm/helpers.ts): every implementation
 * belongs to a helper a tc program may call, every such helper is implemented or named as
 * unsupported (with its reason in the fault), and the README's list of unsupported helpers is
 * that list.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELPERS, HELPER_IDS, helperCallableFrom, helperName } from '../../vm/helpers.js';
import { Memory } from '../../vm/memory.js';
import type { HelperCall } from '../../vm/program.js';
import { UNSUPPORTED_HELPERS, buildHelperTable, implementedHelperIds, unsupportedHelperIds } from '../../src/helpers/table.js';

const names = (ids: number[]) => ids.map((id) => helperName(id));

describe('[src/helpers/table]: implementations keyed by the helper records', () => {
  it('implements only helpers the verifier lets a tc program call', () => {
    const stray = implementedHelperIds().filter((id) => !helperCallableFrom(id, 'sched_cls'));
    expect(names(stray)).toEqual([]);
  });

  it('implements every helper a tc program may call, except those named unsupported', () => {
    const impl = new Set(implementedHelperIds());
    const unsupported = new Set(unsupportedHelperIds());
    const callable = HELPERS.filter((h) => helperCallableFrom(h.id, 'sched_cls')).map((h) => h.id);
    expect(names(callable.filter((id) => !impl.has(id) && !unsupported.has(id)))).toEqual([]);
    expect(names([...unsupported].filter((id) => impl.has(id) || !helperCallableFrom(id, 'sched_cls')))).toEqual([]);
    expect(impl.size + unsupported.size).toBe(callable.length);
  });

  it('faults with E_UNSUPPORTED_HELPER and the reason for an unsupported helper, and for an uncallable one', () => {
    const table = buildHelperTable();
    const call = { regs: { lo: new Int32Array(11), hi: new Int32Array(11), tag: new Int32Array(11) }, mem: new Memory(), insnIndex: 5, run: {} } as HelperCall;
    const fault = (id: number): { code?: string; message?: string } => {
      try {
        table[id]!(call);
      } catch (e) {
        return e as { code?: string; message?: string };
      }
      return {};
    };
    const signal = fault(HELPER_IDS.bpf_send_signal);
    expect(signal.code).toBe('E_UNSUPPORTED_HELPER');
    expect(signal.message).toMatch(/insn #5 .*: bpf_send_signal#109 is not supported by tcxlab: it would signal the calling process$/);
    const xdp = fault(HELPER_IDS.bpf_xdp_adjust_head);
    expect(xdp.code).toBe('E_UNSUPPORTED_HELPER');
    expect(xdp.message).toMatch(/: bpf_xdp_adjust_head#44 is not supported by tcxlab$/);
    expect(table.length).toBe(HELPERS.length);
    expect(table[0]).toBeUndefined();
  });

  it('lets a caller replace a helper by id', () => {
    const mine = (): void => {};
    expect(buildHelperTable({ [HELPER_IDS.bpf_redirect]: mine })[HELPER_IDS.bpf_redirect]).toBe(mine);
  });

  it('is the list the README gives', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const bullet = /- \*\*Still E_UNSUPPORTED_HELPER\*\*[^]*?\n(?=- |\n|#)/.exec(readme)?.[0] ?? '';
    const listed = new Set([...bullet.matchAll(/`(bpf_\w+)`/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual(Object.keys(UNSUPPORTED_HELPERS).sort());
  });
});
