import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('[readme]: examples in the README are the tested files', () => {
  it('the vitest example is test/examples/firewall.example.test.ts, verbatim but for the import path', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const file = readFileSync(new URL('test/examples/firewall.example.test.ts', root), 'utf8')
      .replace("from '../../src/index.js'", "from 'tcxlab'");
    expect(readme).toContain(file.trim());
  });
  it('the compare example is test/examples/compare.example.test.ts, verbatim but for the import path', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const file = readFileSync(new URL('test/examples/compare.example.test.ts', root), 'utf8').replace("from '../../src/index.js'", "from 'tcxlab'");
    expect(readme).toContain(file.trim());
  });
  it('the global variables example is test/examples/globals.example.test.ts, verbatim but for the import path', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const file = readFileSync(new URL('test/examples/globals.example.test.ts', root), 'utf8').replace("from '../../src/index.js'", "from 'tcxlab'");
    expect(readme).toContain(file.trim());
  });
  it('the matchers example is test/examples/matchers.example.test.ts, verbatim but for the import paths', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const file = readFileSync(new URL('test/examples/matchers.example.test.ts', root), 'utf8')
      .replace("from '../../src/index.js'", "from 'tcxlab'")
      .replace("import '../../src/testing/vitest.js';", "import 'tcxlab/vitest';");
    expect(file).toContain("import 'tcxlab/vitest';");
    expect(readme).toContain(file.trim());
  });
  it('the typed maps example is test/examples/typed-maps.example.test.ts, verbatim but for the import path', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const file = readFileSync(new URL('test/examples/typed-maps.example.test.ts', root), 'utf8').replace("from '../../src/index.js'", "from 'tcxlab'");
    expect(readme).toContain(file.trim());
  });
  it('the --env example is test/data/mock/env.json, verbatim', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).toContain('```json\n' + readFileSync(new URL('test/data/mock/env.json', root), 'utf8').trim() + '\n```');
  });
  it('the quick start is exactly npm install and npm test', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('<!-- section:main-job -->'));
    expect(quick).toContain('npm install\nnpm test\n');
  });
});
