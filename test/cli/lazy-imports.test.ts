/**
 * Cold start (issue 11, "fast start"): every `tcxlab` invocation, `--help` included, builds the
 * whole commander program, so whatever src/cli/main.ts imports statically is loaded by every
 * cold start. The command modules (and the loader, verifier, engines and netdev behind them)
 * must come in through the actions' dynamic `import()` in src/cli/program.ts only, and a one-frame
 * `tcxlab run` must not load what only its rarer options need.
 *
 * This reads the static import graph from the sources (no build, no timing; the CPU figures are
 * test/bench/cold-start.js's). Static edges are `import … from` and `export … from` without
 * `type`; `import { type T } from` is an edge too (verbatimModuleSyntax keeps it as a load).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rel = (abs: string): string => relative(ROOT, abs).split('\\').join('/');

const parsed = new Map<string, ts.SourceFile>();
/** One source file, parsed once for all the tests (the graphs share most files). */
function sourceOf(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (sf === undefined) parsed.set(file, (sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)));
  return sf;
}

/** Static import specifiers of one source file (its top-level `import`/`export … from`). */
function staticImportsOf(file: string): string[] {
  const out: string[] = [];
  for (const st of sourceOf(file).statements) {
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly && ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
    if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
  }
  return out;
}

/** The dynamic `import('…')` specifiers of one source file. */
function dynamicImportsOf(file: string): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(sourceOf(file));
  return out;
}

/** The source file a relative specifier names ('./x.js' → x.ts). */
const resolveTs = (from: string, spec: string): string => resolve(dirname(from), spec).replace(/\.js$/, '.ts');

/** Every module loaded by importing `entry`: repository files (relative paths) and packages/builtins. */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>([resolve(ROOT, entry)]);
  const packages = new Set<string>();
  const queue = [...files];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const spec of staticImportsOf(f)) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const target = resolveTs(f, spec);
      if (!files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  return { files: [...files].map(rel).sort(), packages: [...packages].sort() };
}

describe('[cli] cold start: what every invocation loads', () => {
  // src/cli/bin.ts is the bundle's entry (package.json "tsup", build `cli`); it runs main.ts.
  const graph = staticGraph('src/cli/bin.ts');

  it('src/cli/bin.ts loads only the command-line definitions and small modules, no command implementation', () => {
    // Add a module here only if it is small and does no work at load: `tcxlab --help` pays for it.
    expect(graph.files).toEqual([
      'src/cli/args.ts',
      'src/cli/bin.ts',
      'src/cli/io.ts',
      'src/cli/main.ts',
      'src/cli/package-root.ts',
      'src/cli/program.ts',
      'src/net/compare-paths.ts',
      'vm/engine-choice.ts',
      'vm/errors.ts',
    ]);
    // No node:crypto, node:child_process, ...: on a Node without a builtin code cache each one costs milliseconds.
    expect(graph.packages).toEqual(['commander', 'node:fs', 'node:path', 'node:url']);
  });

  it('program.ts imports the command modules dynamically: run.ts, and every other one through commands/index.ts', () => {
    const commands = readdirSync(join(ROOT, 'src/cli/commands'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => `src/cli/commands/${f}`)
      .sort();
    const program = join(ROOT, 'src/cli/program.ts');
    expect([...new Set(dynamicImportsOf(program).map((s) => rel(resolveTs(program, s))))].sort()).toEqual(['src/cli/commands/index.ts', 'src/cli/commands/run.ts']);
    const barrel = join(ROOT, 'src/cli/commands/index.ts');
    const reexported = staticImportsOf(barrel).map((s) => rel(resolveTs(barrel, s)));
    expect(commands.length).toBeGreaterThanOrEqual(16);
    expect(commands.filter((c) => c !== 'src/cli/commands/run.ts' && !reexported.includes(c))).toEqual([]);
    expect(graph.files.filter((f) => f.startsWith('src/cli/commands/'))).toEqual([]);
  });


  it('a plain `tcxlab run` does not load the kernel-parity, pcap-writing or netdev modules, nor node:crypto / node:zlib', () => {
    const run = staticGraph('src/cli/commands/run.ts');
    // The scanner sees the run's real dependencies.
    expect(run.files).toEqual(expect.arrayContaining(['loader/index.ts', 'src/test-run.ts', 'vm/verifier/index.ts']));
    expect(run.files.filter((f) => f.startsWith('src/kernel-parity/') || f.startsWith('src/net/') || f === 'src/pcap/hook-capture.ts' || f === 'src/pcap/writer.ts')).toEqual([]);
    expect(run.packages.filter((p) => /^(node:)?(crypto|zlib|child_process|os)$/.test(p))).toEqual([]);
  });

  it('the CLI bundle loads the lazy units on first use: the JIT, disasm, CO-RE, BTF maps and values, mock env, flow hash, map types', () => {
    // src/cli/lazy-units.ts lists them; tsup.config.ts gives every import of one of them in the
    // CLI bundle a stand-in that loads dist/cli/lazy-units.cjs when it is first called into, and
    // test/package/cli-cold.cjs checks that a cold one-frame run loads none of them. A plain run
    // reaches them statically (they are what the stand-ins keep out), and nothing imports
    // lazy-units.ts itself (it is the bundle's entry for them, not a module to import).
    const entry = join(ROOT, 'src/cli/lazy-units.ts');
    const units = staticImportsOf(entry).map((s) => rel(resolveTs(entry, s)));
    expect(units).toEqual([
      'vm/jit/index.ts',
      'vm/disasm.ts',
      'loader/btf/core.ts',
      'loader/btf/maps.ts',
      'src/btf-value.ts',
      'src/mock-env.ts',
      'src/skb/flow-hash.ts',
      'src/maps/create.ts',
      'src/maps/typed.ts',
      'src/maps/prog-array.ts',
      'src/maps/map-in-map.ts',
      'src/maps/ringbuf.ts',
      'src/maps/perf-event-array.ts',
      'src/maps/cgroup-array.ts',
      'src/maps/sk-storage.ts',
      'src/maps/sockmap.ts',
      'src/maps/unsupported.ts',
      'src/maps/push-pop.ts',
    ]);
    const run = staticGraph('src/cli/commands/run.ts');
    // The run reaches the map types only through these units: not through the maps/index.ts barrel, which names them all.
    expect(run.files).not.toContain('src/maps/index.ts');
    expect(units.filter((u) => !run.files.includes(u))).toEqual([]);
    expect(run.files).not.toContain('src/cli/lazy-units.ts');
    expect(graph.files).not.toContain('src/cli/lazy-units.ts');
    // tsup.config.ts reads the units from `export * as NAME from 'PATH'` lines only.
    expect(readFileSync(entry, 'utf8').match(/^export .*$/gm)?.every((l) => /^export \* as \w+ from '[^']+\.js';$/.test(l))).toBe(true);
  });
});
