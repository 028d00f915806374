/** Running a raw golden program through an engine (the interpreter unless told) with the skb helper table. */
import { Memory } from '../../vm/memory.js';
import { decode, type HelperFn, type RunResult } from '../../vm/program.js';
import { link } from '../../vm/link.js';
import { runProgram, type Engine } from '../../vm/engine.js';
import { skbPacketProvider, type SkbRunState } from '../../src/skb/index.js';
import { skbHelpers } from '../../src/helpers/skb.js';

const table: (HelperFn | undefined)[] = [];
for (const [id, fn] of Object.entries(skbHelpers)) table[Number(id)] = fn;

export function runOnEngine(progHex: string, state: SkbRunState, name = 'case', engine: Engine = 'interp'): RunResult {
  const prog = link(decode(new Uint8Array(Buffer.from(progHex, 'hex'))), { name, helpers: table });
  const ctxAddr = Memory.address(state.ctx);
  const opts = { args: [[Number(ctxAddr & 0xffffffffn) | 0, Number(ctxAddr >> 32n) | 0]] as [number, number][], run: state, packet: skbPacketProvider(state.skb) };
  return runProgram(prog, state.mem, opts, engine);
}
