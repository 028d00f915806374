/**
 * The README's code blocks, as data: parsing (fenced blocks with their language and line), the
 * mini shell that runs a `npx tcxlab ...` line in-process (quotes, `echo`/`printf ... |` as
 * standard input, `> FILE`, globs), and output matching. Used by readme-blocks.test.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string: sh, bash, ts, js, or '' for a plain block. */
  lang: string;
  lines: string[];
  /** The text between the previous block (or the start) and this one. */
  before: string;
}

export function parseBlocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  let open: Block | undefined;
  let prose: string[] = [];
  lines.forEach((l, i) => {
    const fence = /^```(\S*)\s*$/.exec(l);
    if (open === undefined) {
      if (fence) {
        open = { line: i + 1, lang: fence[1], lines: [], before: prose.join('\n') };
        prose = [];
      } else prose.push(l);
    } else if (/^```\s*$/.test(l)) {
      out.push(open);
      open = undefined;
    } else open.lines.push(l);
  });
  if (open !== undefined) throw new Error(`README: the block at line ${(open as Block).line} is never closed`);
  return out;
}

/** Split a command line into words, honouring '…' and "…" quotes; `#` after a space starts a comment. */
export function shellWords(line: string): { words: string[]; comment?: string } {
  const words: string[] = [];
  let cur: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced quote in ${JSON.stringify(line)}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === ' ' || c === '\t') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      i++;
    } else if (c === '#' && cur === undefined) {
      return { words, comment: line.slice(i + 1).trim() };
    } else {
      cur = (cur ?? '') + c;
      i++;
    }
  }
  if (cur !== undefined) words.push(cur);
  return { words };
}

/** printf's escapes as the README uses them (\n, \t, \\). */
const printfText = (s: string): string => s.replace(/\\(n|t|\\)/g, (_, e: string) => (e === 'n' ? '\n' : e === 't' ? '\t' : '\\'));

export interface Command {
  /** `npx tcxlab` arguments (after `sudo`, `npx tcxlab`). */
  argv: string[];
  stdin: string;
  /** `> FILE`: where stdout went. */
  redirect?: string;
  /** The trailing `# ...` of the line. */
  comment?: string;
  /** The program: `tcxlab` (written `npx tcxlab`), or another one (npm, tshark, ...). */
  program: string;
  /** How the line spelt the tcxlab program (`npx tcxlab`, `sudo npx tcxlab`, `tcxlab`). */
  spelling: string;
}

/** One shell line: `[echo X | printf X |] [sudo] npx tcxlab ARGS [> FILE] [# comment]`. */
export function parseCommand(line: string): Command {
  const { words, comment } = shellWords(line);
  let stdin = '';
  let w = words;
  const pipe = w.indexOf('|');
  if (pipe >= 0) {
    const [feeder, ...args] = w.slice(0, pipe);
    if (feeder === 'echo') stdin = `${args.join(' ')}\n`;
    else if (feeder === 'printf') stdin = printfText(args.join(' '));
    else throw new Error(`unsupported pipe source ${feeder}`);
    w = w.slice(pipe + 1);
  }
  let redirect: string | undefined;
  const gt = w.indexOf('>');
  if (gt >= 0) {
    redirect = w[gt + 1];
    w = [...w.slice(0, gt), ...w.slice(gt + 2)];
  }
  const spell: string[] = [];
  if (w[0] === 'sudo') spell.push(w.shift()!);
  if (w[0] === 'npx' && w[1] === 'tcxlab') spell.push(w.shift()!);
  const program = w.shift() ?? '';
  spell.push(program);
  return { argv: w, stdin, redirect, comment, program, spelling: spell.join(' ') };
}

/** Expand `dir/prefix*suffix` words as the shell would (one `*`, in the last path component). */
export function expandGlob(word: string): string[] {
  if (!word.includes('*')) return [word];
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash) : '.';
  const pat = new RegExp(`^${word.slice(slash + 1).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const hits = readdirSync(`${ROOT}${dir}`).filter((f) => pat.test(f)).sort();
  if (hits.length === 0) throw new Error(`${word}: no such files`);
  return hits.map((f) => `${dir}/${f}`);
}

/**
 * Expected output lines against actual ones: the expected lines appear in order; consecutive
 * expected lines must be consecutive in the output, except across a `...` line. Returns the first
 * expected line that was not found (undefined: all matched).
 */
export function missingOutput(expected: string[], actual: string[]): string | undefined {
  let at = 0;
  let gap = true;
  for (const e of expected) {
    if (e.trim() === '...') {
      gap = true;
      continue;
    }
    const want = e.trimEnd();
    let k = at;
    if (gap) while (k < actual.length && actual[k].trimEnd() !== want) k++;
    if (k >= actual.length || actual[k].trimEnd() !== want) return e;
    at = k + 1;
    gap = false;
  }
  return undefined;
}

/** Paths a word names in the repository (`progs/x.o`, `test/...`), for the "files exist" check. */
export function namedPaths(words: string[]): string[] {
  return words.filter((w) => /^(progs|test|data|docs|src|vm|loader)\/[^\s]*[^/]$/.test(w) || /\.(o|bin|txt|pcap|pcapng|net|json|c)$/.test(w));
}

export const exists = (p: string): boolean => existsSync(`${ROOT}${p}`);
