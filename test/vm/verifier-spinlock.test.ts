import { describe } from 'vitest';
import { itMatchesEachProgram, readGolden, type RecordedObject } from './verifier-kernel-verdicts.js';

// bpf_spin_lock on map values as Linux 6.18 tracks them (check_helper_call): a lookup result
// that cannot be NULL still gets an id when its value holds a lock, so copies of the pointer
// unlock what they locked and pointers from two lookups do not
// (test/goldens/verifier/spinlock/spin-lock.bpf.c; the kernel's verdicts in
// spin-lock.kernel.json, recorded by make-spinlock.sh). Before 2026-12-08 tcxlab refused
// unlock_via_copy ("bpf_spin_unlock of different lock").
const doc = readGolden<RecordedObject>('test/goldens/verifier/spinlock/spin-lock.kernel.json');

describe('[vm/verifier]: spin locks as in Linux 6.18 (spin-lock.kernel.json)', () => {
  itMatchesEachProgram(doc);
});
