/**
 * @fileoverview The names of tc and tcx verdicts as tcxlab prints them (test-run results, packet
 * traces, pcapng comments, matchers): TC_ACT_* (pkt_cls.h, with the GOTO_CHAIN / JUMP opcodes)
 * and what tcx_action_code makes of a return (TCX_*; every other value is TCX_NEXT). The names
 * come from vm/uapi.ts through its one reverse lookup.
 */
import { TC_ACT, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP, TCX, uapiName } from './uapi.js';

/** TC_ACT_* name of a verdict without the prefix ("OK", "GOTO_CHAIN 3"), or the number. */
export function tcActName(v: number): string {
  const name = uapiName(TC_ACT, v, 'TC_ACT_');
  if (name !== undefined) return name;
  const op = v & ~TC_ACT_EXT_VAL_MASK;
  if (op === TC_ACT_GOTO_CHAIN) return `GOTO_CHAIN ${v & TC_ACT_EXT_VAL_MASK}`;
  if (op === TC_ACT_JUMP) return `JUMP ${v & TC_ACT_EXT_VAL_MASK}`;
  return String(v);
}

/** TCX_* name of a tcx program return (unknown codes are shown as numbers). */
export function tcxRetName(v: number): string {
  return uapiName(TCX, v) ?? String(v);
}

/** TC_ACT_* spelling ("TC_ACT_OK", "TC_ACT_GOTO_CHAIN 3"); a value without a name stays a number. */
export function tcActLabel(v: number): string {
  const n = tcActName(v);
  return n === String(v) ? n : `TC_ACT_${n}`;
}

/**
 * A tcx program's return as tcx_action_code reads it: "TCX_PASS (0)", "TCX_NEXT (-1)", and for
 * every other value its TC_ACT_* name and what tcx makes of it: "TC_ACT_STOLEN (4) = TCX_NEXT".
 */
export function tcxRetLabel(v: number): string {
  const tcx = tcxRetName(v);
  if (tcx !== String(v)) return `${tcx} (${v})`;
  const act = tcActLabel(v);
  return `${act === String(v) ? act : `${act} (${v})`} = TCX_NEXT`;
}
