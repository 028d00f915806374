/**
 * @fileoverview The helper table a sched_cls program runs with: the implementations of every
 * family, keyed by the ids of the helper records (vm/helpers.ts), plus a clear fault for each
 * helper tcxlab does not implement — never a silent zero. test/helpers/table.test.ts checks that
 * every implementation belongs to a helper the verifier lets a tc program call, and that every
 * such helper is implemented or named in UNSUPPORTED_HELPERS.
 */
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { BPF_FUNC_MAX_ID, HELPER_IDS, HELPER_PROTOS, helperName, type HelperName } from '../../vm/helpers.js';
import { Op } from '../../vm/isa.js';
import { argRegsOnly, type HelperFn, type HelperTable } from '../../vm/program.js';
import { baseHelpers } from './base.js';
import type { HelperFamily } from './family.js';
import { mapHelpers } from './maps.js';
import { skbHelpers } from './skb.js';
import { miscHelpers } from './misc.js';
import { dynptrHelpers } from './dynptr.js';
import { timerHelpers } from './timer.js';
import { syncookieHelpers } from './syncookie.js';

export const HELPER_FAMILIES: readonly HelperFamily[] = [
  baseHelpers,
  mapHelpers,
  skbHelpers,
  miscHelpers,
  dynptrHelpers,
  timerHelpers,
  syncookieHelpers,
];

/**
 * Whether the helper `id` may run program code during the call: bpf_tail_call, and the helpers
 * taking a callback (a `func` argument: bpf_loop, bpf_for_each_map_elem, and
 * bpf_timer_set_callback, which only stores it but is counted with them). Every other helper
 * implementation reads its arguments and writes r0 through the argument accessors (args.ts), so
 * it is marked argRegsOnly (vm/program.ts).
 */
export function runsProgramCode(id: number): boolean {
  return id === HELPER_IDS.bpf_tail_call || (HELPER_PROTOS.get(id)?.args.includes('func') ?? true);
}

/** Every implemented helper by id: one implementation per id (a second one is a bug). */
const IMPLEMENTED: ReadonlyMap<number, HelperFn> = (() => {
  const m = new Map<number, HelperFn>();
  for (const fam of HELPER_FAMILIES) {
    for (const [k, fn] of Object.entries(fam)) {
      const id = Number(k);
      if (m.has(id)) throw new Error(`helper ${helperName(id) ?? id} is implemented twice`);
      m.set(id, fn);
    }
  }
  // (An implementation shared with a helper that runs code is not marked.)
  const runsCode = new Set([...m].filter(([id]) => runsProgramCode(id)).map(([, fn]) => fn));
  for (const fn of m.values()) if (!runsCode.has(fn)) argRegsOnly(fn);
  return m;
})();

/**
 * Helpers a tc program may call on Linux (the verifier accepts the call) that tcxlab does not
 * implement, with why: a call faults with E_UNSUPPORTED_HELPER and this reason (README, "Other
 * helpers").
 */
export const UNSUPPORTED_HELPERS: Readonly<Partial<Record<HelperName, string>>> = {
  bpf_current_task_under_cgroup: 'there is no current task in a cgroup',
  bpf_send_signal: 'it would signal the calling process',
  bpf_send_signal_thread: 'it would signal the calling thread',
  bpf_get_task_stack: 'there is no task',
  bpf_snprintf_btf: 'there is no kernel BTF to print with',
  bpf_per_cpu_ptr: 'there are no per-CPU kernel symbols',
  bpf_this_cpu_ptr: 'there are no per-CPU kernel symbols',
  bpf_task_storage_get: 'task_storage maps are not supported',
  bpf_task_storage_delete: 'task_storage maps are not supported',
  bpf_task_pt_regs: 'there is no task',
  bpf_find_vma: 'there is no task memory map',
  bpf_user_ringbuf_drain: 'user_ringbuf maps are not supported',
  bpf_cgrp_storage_get: 'cgrp_storage maps are not supported',
  bpf_cgrp_storage_delete: 'cgrp_storage maps are not supported',
};

function unsupported(id: number): HelperFn {
  const name = helperName(id) ?? `helper#${id}`;
  const why = helperName(id) === undefined ? undefined : UNSUPPORTED_HELPERS[name as HelperName];
  const message = `${name}#${id} is not supported by tcxlab${why === undefined ? '' : `: ${why}`}`;
  return (call) => {
    throw new VmFault(ErrorCode.UnsupportedHelper, message, call.insnIndex, Op.CALL);
  };
}

/** Build the table: implemented helpers, and an "unsupported" fault for every other known id. */
export function buildHelperTable(extra: HelperFamily = {}): HelperTable {
  const table: (HelperFn | undefined)[] = new Array(BPF_FUNC_MAX_ID).fill(undefined);
  for (let id = 1; id < BPF_FUNC_MAX_ID; id++) table[id] = IMPLEMENTED.get(id) ?? unsupported(id);
  for (const [k, fn] of Object.entries(extra)) table[Number(k)] = fn;
  return table;
}

/** Ids that have an implementation (for docs and tests). */
export function implementedHelperIds(): number[] {
  return [...IMPLEMENTED.keys()].sort((a, b) => a - b);
}

/** Ids of UNSUPPORTED_HELPERS. */
export function unsupportedHelperIds(): number[] {
  return (Object.keys(UNSUPPORTED_HELPERS) as HelperName[]).map((n) => HELPER_IDS[n]).sort((a, b) => a - b);
}
