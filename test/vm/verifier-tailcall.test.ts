import { describe } from 'vitest';
import { itMatchesEachProgram, readGolden, type RecordedObject } from './verifier-kernel-verdicts.js';

// bpf_tail_call as Linux 6.18 verifies it (check_helper_call): in the main program a failed call
// goes on with the packet pointers still valid; in a subprogram the walk also returns from the
// subprogram as a successful call would, with an unknown r0 and the packet pointers gone
// (test/goldens/verifier/tailcall/tail-call.bpf.c; the kernel's verdicts in tail-call.kernel.json,
// recorded by make-tailcall.sh). Before 2026-12-08 tcxlab dropped the packet pointers at every
// tail call and refused main_reads_after.
const doc = readGolden<RecordedObject>('test/goldens/verifier/tailcall/tail-call.kernel.json');

describe('[vm/verifier]: tail calls as in Linux 6.18 (tail-call.kernel.json)', () => {
  itMatchesEachProgram(doc);
});
