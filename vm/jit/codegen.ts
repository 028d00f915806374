/**
 * @fileoverview The safe code-generation layer of the JIT (after ajv's `lib/compile/codegen`).
 *
 * Generated JavaScript is only ever built from three things:
 *   - `Code`: made only by the `js` tagged template (or by joining other `Code`), so its literal
 *     text always comes from this repository's source, never from data;
 *   - `Name`: an identifier checked against IDENT when it is made;
 *   - numbers, through `lit`, which accepts only safe integers.
 * Strings from the object file (program, map, section names) therefore cannot reach the source,
 * not even in comments: there is no API that would put them there. Helpers, memory and program
 * tables are `new Function` parameters referred to by index names (`h1`, `e0`).
 */
import { BpfError, ErrorCode } from '../errors.js';

/** What an identifier must look like. */
export const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A checked JavaScript identifier. */
export class Name {
  readonly str: string;
  constructor(s: string) {
    if (typeof s !== 'string' || !IDENT.test(s)) throw new BpfError(ErrorCode.Jit, 'jit/codegen: not an identifier');
    this.str = s;
  }
  toString(): string {
    return this.str;
  }
}

/** Make a Name (`name('l3')`). */
export const name = (s: string): Name => new Name(s);

const CODE_KEY = Symbol('code');

/** A piece of generated source. Only `js`, `lit` and `joinCode` make one. */
export class Code {
  /** @internal */
  readonly str: string;
  /** @internal Use `js`. */
  constructor(key: symbol, s: string) {
    if (key !== CODE_KEY) throw new BpfError(ErrorCode.Jit, 'jit/codegen: Code is made only by js``');
    this.str = s;
  }
  toString(): string {
    return this.str;
  }
}

/** An integer literal. Only safe integers (negative ones are parenthesised). */
export function lit(n: number): Code {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new BpfError(ErrorCode.Jit, 'jit/codegen: literal is not a safe integer');
  return new Code(CODE_KEY, n < 0 ? `(${n})` : String(n));
}

/** A value a template may interpolate. */
export type Part = Code | Name | number;

function partStr(p: Part): string {
  if (p instanceof Code || p instanceof Name) return p.str;
  if (typeof p === 'number') return lit(p).str;
  throw new BpfError(ErrorCode.Jit, 'jit/codegen: only Code, Name or a safe integer can be interpolated');
}

/**
 * The tagged template: literal parts come from our source (a real template strings array is
 * frozen and has `raw`), interpolations must be Code, Name or safe integers.
 */
export function js(strings: TemplateStringsArray, ...parts: Part[]): Code {
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw)) throw new BpfError(ErrorCode.Jit, 'jit/codegen: js must be used as a tag');
  let s = strings[0];
  for (let k = 0; k < parts.length; k++) s += partStr(parts[k]) + strings[k + 1];
  return new Code(CODE_KEY, s);
}

/** Join pieces of code with a separator (itself Code). */
export function joinCode(list: readonly (Code | Name)[], sep: Code = js`\n`): Code {
  return new Code(CODE_KEY, list.map(partStr).join(partStr(sep)));
}

/** The empty piece of code. */
export const nil: Code = js``;
