/**
 * buildProgram(io, version, only): with the first word of the command line naming a top-level
 * command, the program defines that command alone (a cold start does not pay for the other
 * fifteen). Checked against the whole program: the same commands, with the same help text (which
 * covers every argument and option), and the whole program for any other first word.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';

/** Each command of `c` and below, by its full name, with its help text. */
function helpTexts(c: Command, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of c.commands) {
    const name = `${prefix}${sub.name()}`;
    out.set(name, sub.helpInformation());
    for (const [k, v] of helpTexts(sub, `${name} `)) out.set(k, v);
  }
  return out;
}

describe('[cli] buildProgram defines only the command that runs', () => {
  const whole = buildProgram(memoryIo(), '0.0.0');
  const all = helpTexts(whole);
  const names = whole.commands.map((c) => c.name());

  it('every top-level command alone has the help (arguments, options, subcommands) it has in the whole program', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const name of names) {
      const one = buildProgram(memoryIo(), '0.0.0', name);
      expect(one.commands.map((c) => c.name())).toEqual([name]);
      const texts = helpTexts(one);
      expect([...texts.keys()]).toEqual([...all.keys()].filter((k) => k === name || k.startsWith(`${name} `)));
      for (const [k, v] of texts) expect(v, k).toBe(all.get(k));
    }
  });

  it('any other first word gets the whole program', () => {
    for (const word of [undefined, '--help', '-V', 'help', 'rnu', 'dump', '']) {
      expect(buildProgram(memoryIo(), '0.0.0', word).commands.map((c) => c.name())).toEqual(names);
    }
  });

  it('a mistyped command still gets the suggestion, and `help CMD` the command help', async () => {
    const typo = memoryIo();
    expect(await run(['rnu'], typo)).not.toBe(0);
    expect(typo.stderr).toMatch(/unknown command 'rnu'[\s\S]*Did you mean run\?/);
    const help = memoryIo();
    await run(['help', 'run'], help);
    expect(help.stdout).toBe(all.get('run'));
  });
});
