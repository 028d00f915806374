/**
 * @fileoverview Zeroing the part of frame 0 a run wrote, for the next run (both engines: every
 * run starts on a zeroed stack, the kernel's is garbage the verifier forbids reading). Each
 * engine bounds what a run wrote its own way (interpreter.ts RunState.lw, jit/runtime.ts
 * JitRun.lw); this is the zeroing both then do.
 */
import { STACK_SIZE } from './isa.js';

/** 8-byte slots of frame 0 (its provenance shadow). */
const SLOTS = STACK_SIZE / 8;

/**
 * Zero frame 0 from byte `from` (rounded down to its 8-byte slot) to its top, and the shadow of
 * those slots. `words` are frame 0's bytes as int32 (`bytes` from offset 0): a few slots are
 * zeroed in a loop, since a fill() call with a range costs more than the loop for a few words.
 */
export function zeroFrame0(words: Int32Array, bytes: Uint8Array, shadow: Int32Array, from: number): void {
  const o = from & ~7;
  if (o >= STACK_SIZE - 64) {
    for (let k = o >> 2; k < STACK_SIZE >> 2; k++) words[k] = 0;
    for (let k = o >> 3; k < SLOTS; k++) shadow[k] = 0;
  } else {
    bytes.fill(0, o, STACK_SIZE);
    shadow.fill(0, o >> 3, SLOTS);
  }
}
