/**
 * @fileoverview Cost of the default CO-RE target (loader/btf/target.ts): reading and
 * decompressing data/btf/vmlinux.btf.br, checking its sha256, parsing the 5.5 MB vmlinux BTF and
 * the first name lookup (which builds the name index). Paid once per process, by the first
 * object with CO-RE relocations; here without the cache, best and median of 7 rounds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { parseBtf } from '../../loader/btf/parse.js';
import { DEFAULT_TARGET } from '../../loader/btf/default-target.js';

export function runBtfTargetBenchmark() {
  const file = new URL(`../../data/btf/${DEFAULT_TARGET.file}`, import.meta.url);
  const rounds = { decompress: [], parse: [], lookup: [] };
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    const raw = brotliDecompressSync(readFileSync(file));
    createHash('sha256').update(raw).digest('hex');
    rounds.decompress.push(performance.now() - t);
    t = performance.now();
    const btf = parseBtf(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    rounds.parse.push(performance.now() - t);
    t = performance.now();
    btf.typeByName('sk_buff', 'STRUCT');
    rounds.lookup.push(performance.now() - t);
  }
  const fmt = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `best ${s[0].toFixed(1)} ms, median ${s[3].toFixed(1)} ms, first ${xs[0].toFixed(1)} ms`;
  };
  console.log(`default target BTF (Linux ${DEFAULT_TARGET.kernel}, ${DEFAULT_TARGET.types} types):`);
  console.log(`  read + brotli + sha256: ${fmt(rounds.decompress)}`);
  console.log(`  parseBtf:               ${fmt(rounds.parse)}`);
  console.log(`  first typeByName:       ${fmt(rounds.lookup)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) runBtfTargetBenchmark();
