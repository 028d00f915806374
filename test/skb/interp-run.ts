/** Running a raw golden program through the real interpreter with the skb helper table. */
import { Memory } from '../../vm/memory.js';
import { decode, type HelperFn, type RunResult } from '../../vm/program.js';
import { link } from '../../vm/link.js';
import { interpret } from '../../vm/interpreter.js';
import { skbPacketProvider, type SkbRunState } from '../../src/skb/index.js';
import { skbHelpers } from '../../src/helpers/skb.js';

const table: (HelperFn | undefined)[] = [];
for (const [id, fn] of Object.entries(skbHelpers)) table[Number(id)] = fn;

export function interpretRaw(progHex: string, state: SkbRunState, name = 'case'): RunResult {
  const prog = link(decode(new Uint8Array(Buffer.from(progHex, 'hex'))), { name, helpers: table });
  const ctxAddr = Memory.address(state.ctx);
  return interpret(prog, state.mem, {
    args: [[Number(ctxAddr & 0xffffffffn) | 0, Number(ctxAddr >> 32n) | 0]],
    run: state,
    packet: skbPacketProvider(state.skb),
  });
}
