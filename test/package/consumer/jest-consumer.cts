// A CommonJS TypeScript consumer as a jest project has one (ts-jest, module commonjs): `require`
// of the package resolves its "require" types, dist/index.d.cts. Compiled by `npm run
// test:package` (tsc -p test/package/consumer, without skipLibCheck: the declarations themselves
// must compile), never run; the @ts-expect-error lines fail the
// compile if the typings degrade to `any`.
import tcxlab = require('tcxlab');
import type { TcxlabMatchers, TestRunResult, MapDiff, ErrnoName } from 'tcxlab';
import vm = require('tcxlab/vm');
import net = require('tcxlab/net');
import type { CollectionSpec } from 'tcxlab/loader';

// What a jest setup file declares to type `expect.extend(matchers)` (@types/jest's namespace).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> extends TcxlabMatchers<R> {}
  }
}
declare const expect: ((actual: unknown) => jest.Matchers<void>) & { extend(m: Record<string, unknown>): void };

expect.extend(tcxlab.matchers);
const coll = tcxlab.loadObject('progs/bench_parse.bpf.o', { rodata: {} });
const before = coll.snapshot();
const r: TestRunResult = coll.run('parse', new Uint8Array(64));
const verdict: number | undefined = r.verdict;
expect(r).toHaveVerdict('TC_ACT_OK');
expect(r).toEqualPacket(new Uint8Array(64));
const diff: MapDiff[] = tcxlab.diffSnapshots(before, coll.snapshot());
const value: tcxlab.MapValue | undefined = coll.map('x').get({ saddr: '10.0.0.1', port: 80 });
coll.map('x').put(1, [1, 2], 0);
const err: 0 | ErrnoName = r.err;
// results typed for assertions: dataOut always there, the signed verdict and its names
const out: Uint8Array = r.dataOut;
const names: [string | undefined, 'TCX_PASS' | 'TCX_DROP' | 'TCX_REDIRECT' | 'TCX_NEXT' | undefined] = [r.verdictName, r.tcxVerdictName];
const next: boolean = r.verdict === tcxlab.uapi.TCX.TCX_NEXT;
void [out, names, next];
const unspec: -1 = tcxlab.uapi.TC_ACT.TC_ACT_UNSPEC;
const host: net.Host = new tcxlab.Host();
const linked: vm.LinkedProgram = coll.program('parse').linked;
const spec: CollectionSpec | undefined = undefined;
void [verdict, diff, value, err, unspec, host, linked, spec];

// @ts-expect-error ErrnoName is a type, not a member of the uapi namespace
void tcxlab.uapi.ErrnoName;

// @ts-expect-error program names are strings
coll.program(42);
// @ts-expect-error not a verdict name
expect(r).toHaveVerdict('TC_ACT_MAYBE');
// @ts-expect-error run takes a frame
coll.run('parse', 'not a frame');
