/**
 * @fileoverview Shared plumbing of the skb helper families: getting the SkbRunState out of a
 * HelperCall and returning values. The skb argument (r1 = ctx) always names the run's one skb.
 */
import type { CalleeName } from './args.js';
import type { HelperCall } from '../../vm/program.js';
import { isSkbRunState, type SkbRunState } from '../skb/run-state.js';
import { helperFault, setR0 } from './args.js';

/** The run state, or a fault when a helper is called outside an skb run. */
export function skbState(call: HelperCall, helper: CalleeName): SkbRunState {
  if (!isSkbRunState(call.run)) throw helperFault(call, helper, 'called without an skb run state');
  return call.run;
}

/** r0 = v (a small signed integer or an errno). */
export const ret = setR0;

/** Argument n as a u64 split into [lo u32, hi u32]. */
export const argHalves = (call: HelperCall, n: number): [number, number] => [call.regs.lo[n] >>> 0, call.regs.hi[n] >>> 0];
