/**
 * @fileoverview Argument-order checks shared by the commands that take `OBJ PROG PACKETS_FILE`:
 * an ELF object where the packets file belongs (or the other way round) is named as such, with
 * the command line that was probably meant, instead of a parse error about hex or ELF headers.
 */
import { UsageError } from '../../vm/errors.js';

/** ELF magic: 0x7f 'E' 'L' 'F'. */
export function isElf(b: Uint8Array | undefined): boolean {
  return b !== undefined && b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/**
 * Throws a UsageError when the arguments look swapped: PACKETS_FILE is an ELF object, or OBJ is
 * not one while PROG or PACKETS_FILE names one. `read` returns a file's bytes or undefined.
 */
export function checkArgOrder(cmd: string, obj: string, prog: string, packets: string, read: (p: string) => Uint8Array | undefined): void {
  const objB = read(obj);
  const packetsB = read(packets);
  const progB = read(prog);
  if (isElf(packetsB)) {
    const meant = isElf(objB) ? `the packets file in place of ${packets}` : `\`tcxlab ${cmd} ${packets} ${isElf(progB) ? obj : prog} ${isElf(progB) ? prog : obj}\``;
    throw new UsageError(`PACKETS_FILE ${packets} is an ELF object — did you mean ${meant}?`);
  }
  if (!isElf(objB) && isElf(progB)) {
    throw new UsageError(`OBJ ${obj} is not an ELF object but PROG ${prog} is a file that is — did you mean \`tcxlab ${cmd} ${prog} ${obj} ${packets}\`?`);
  }
}

/** `read` for checkArgOrder over a throwing reader. */
export function tryRead(readFile: (p: string) => Uint8Array): (p: string) => Uint8Array | undefined {
  return (p) => {
    try {
      return readFile(p);
    } catch {
      return undefined;
    }
  };
}
