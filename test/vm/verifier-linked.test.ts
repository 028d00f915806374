import { describe } from 'vitest';
import { itMatchesEachProgram, readGolden, type RecordedObject } from './verifier-kernel-verdicts.js';

// Scalars linked by a constant delta as Linux 6.18 tracks them: 32-bit adds (a sync
// zero-extends), subtractions and negative deltas, no link from a 32-bit add on a value wider
// than 32 bits, none for a second delta (test/goldens/verifier/linked/linked-regs.bpf.c; the
// kernel's verdicts in linked-regs.kernel.json, recorded by make-linked.sh).
const doc = readGolden<RecordedObject>('test/goldens/verifier/linked/linked-regs.kernel.json');

describe('[vm/verifier]: linked scalars as in Linux 6.18 (linked-regs.kernel.json)', () => {
  itMatchesEachProgram(doc);
});
