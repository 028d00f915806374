/**
 * Shared by the seeded map-lookup program tests (jit-map-lookup.test.ts, interp-fast-paths.test.ts):
 * the maps, the shape of a generated program around its random blocks, and its assembly with map
 * pointers.
 */
import { asm } from '../../vm/asm.js';
import { Memory } from '../../vm/memory.js';
import { createMap } from '../../src/maps/create.js';
import { createMapEnv, type BpfMap } from '../../src/maps/types.js';

/** name, type, value size, max entries of a map with 4-byte keys */
export type MapSpec = [string, number, number, number];

/** A Memory with the maps `specs` (keys 1 and 2 exist in the one at `hash`, an 8-byte-value hash). */
export function mapWorld(specs: readonly MapSpec[], hash: number): { mem: Memory; maps: BpfMap[] } {
  const mem = new Memory();
  const env = createMapEnv(mem);
  const maps = specs.map(([name, type, valueSize, maxEntries]) => createMap({ name, type, keySize: 4, valueSize, maxEntries, flags: 0 }, env));
  for (const k of [1, 2]) maps[hash].update(Uint8Array.of(k, 0, 0, 0), new Uint8Array(8).fill(k));
  return { mem, maps };
}

/**
 * A program of 1..`most` blocks in r6/r7 (r7 the running sum), sometimes one more in a 3-round
 * loop (r8) and one in a bpf-to-bpf subprogram `f` (its own frame); `tail` runs before the exit,
 * which returns r6 or r7. `block` appends one block's lines.
 */
export function programShape(r: () => number, block: (body: string[]) => void, most: number, tail: readonly string[] = []): string {
  const main: string[] = ['mov %r6, 0', 'mov %r7, 0'];
  const sub: string[] = [];
  const count = 1 + Math.floor(r() * most);
  for (let j = 0; j < count; j++) block(main);
  if (r() < 0.3) {
    // A loop around one more block.
    main.push('mov %r8, 3', 'loop:');
    block(main);
    main.push('sub %r8, 1', 'jne %r8, 0, loop');
  }
  const withSub = r() < 0.4;
  if (withSub) {
    main.push('call local f', 'add %r7, %r0');
    block(sub);
  }
  main.push(...tail);
  main.push(r() < 0.3 ? 'mov %r0, %r6' : 'mov %r0, %r7', 'exit');
  if (withSub) main.push('f:', 'mov %r6, 0', 'mov %r7, 0', ...sub, 'mov %r0, %r7', 'exit');
  return main.join('\n');
}

/** Assemble, then turn each `lddw %rN, M` (M < 16) into a BPF_PSEUDO_MAP_FD load of map M. */
export function mapProgram(text: string): Uint8Array {
  const bytes = asm`${text}`;
  for (let i = 0; i + 15 < bytes.length; i += 8) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + i);
    if (bytes[i] === 0x18 && (dv.getInt32(4, true) & ~15) === 0 && dv.getInt32(12, true) === 0) bytes[i + 1] = (bytes[i + 1] & 0x0f) | (1 << 4);
  }
  return bytes;
}
