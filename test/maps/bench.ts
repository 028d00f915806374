/**
 * Map hot-path micro-benchmark (not a test). Run it bundled, as users run tcxlab: TS runners
 * (tsx, vite-node) turn every imported binding into a getter call and distort the numbers.
 *
 *   npx esbuild test/maps/bench.ts --bundle --format=esm --platform=node --outfile=/tmp/mb.mjs && node /tmp/mb.mjs
 */
import { Memory } from '../../vm/memory.js';
import { createMap, createMapEnv } from '../../src/maps/index.js';
const env = createMapEnv(new Memory(), { ncpus: 2 });
const mk = (type: number, ks: number, vs: number, max: number, flags = 0) => createMap({ name: 'b', type, keySize: ks, valueSize: vs, maxEntries: max, flags }, env);
function bench(label: string, n: number, fn: (i: number) => void) {
  for (let i = 0; i < 20000; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`${label}: ${ns.toFixed(1)} ns/op`);
}
const N = 2_000_000;
const k4 = new Uint8Array(4), dv4 = new DataView(k4.buffer), v8 = new Uint8Array(8);
const arr = mk(2, 4, 8, 1024);
bench('array lookupElem', N, (i) => { dv4.setUint32(0, i & 1023, true); arr.lookupElem(k4, 0); });
const h = mk(1, 4, 8, 65536);
for (let i = 0; i < 10000; i++) { dv4.setUint32(0, i, true); h.updateElem(k4, v8, 0, 0); }
bench('hash u32 lookupElem (10k entries)', N, (i) => { dv4.setUint32(0, i % 10000, true); h.lookupElem(k4, 0); });
bench('hash u32 updateElem replace', N, (i) => { dv4.setUint32(0, i % 10000, true); h.updateElem(k4, v8, 0, 0); });
const k16 = new Uint8Array(16), dv16 = new DataView(k16.buffer);
const h16 = mk(1, 16, 8, 65536);
for (let i = 0; i < 10000; i++) { dv16.setUint32(0, i, true); h16.updateElem(k16, v8, 0, 0); }
bench('hash 16-byte key lookupElem', N, (i) => { dv16.setUint32(0, i % 10000, true); h16.lookupElem(k16, 0); });
const l = mk(9, 4, 8, 8192);
bench('lru u32 update (evicting)', N, (i) => { dv4.setUint32(0, i, true); l.updateElem(k4, v8, 0, 0); });
bench('lru u32 lookupElem hit', N, (i) => { dv4.setUint32(0, N + 20000 - 1 - (i % 8000), true); l.lookupElem(k4, 0); });
const lpm = mk(11, 8, 4, 1024, 1);
const lk = new Uint8Array(8), ldv = new DataView(lk.buffer);
for (let i = 0; i < 1000; i++) { ldv.setUint32(0, 8 + (i % 25), true); ldv.setUint32(4, i * 2654435761 >>> 0, false); lpm.updateElem(lk, k4, 0, 0); }
bench('lpm /32 lookup over 1000 prefixes', N / 4, (i) => { ldv.setUint32(0, 32, true); ldv.setUint32(4, i * 7919 >>> 0, false); lpm.lookupElem(lk, 0); });
