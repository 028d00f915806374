/**
 * Has tshark (Wireshark's dissectors) check the frames of test/packet/catalog.ts: writes them to
 * a pcapng file, runs `tshark -V` with checksum validation on (kept as catalog.tshark.txt for
 * reading) and `tshark -T fields` for every field name our dissector produces that tshark knows,
 * and writes catalog.tshark.json: the frames' bytes and tshark's values.
 *
 *   npx tsx test/goldens/packet/record.ts
 *
 * Needs tshark (tested with 4.0.17). GUE has no tshark dissector (4.0): those frames are checked
 * through the outer UDP checksum only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG } from '../../packet/catalog.js';
import { dissect } from '../../../src/packet/index.js';
import { PcapngWriter } from '../../../src/pcap/index.js';

const here = new URL('.', import.meta.url).pathname;
const names = Object.keys(CATALOG);
const w = new PcapngWriter();
const itf = w.addInterface({ name: 'catalog' });
for (const n of names) w.addPacket(itf, CATALOG[n], { comments: [n] });
const dir = mkdtempSync(join(tmpdir(), 'tcxlab-packet-'));
const file = join(dir, 'catalog.pcapng');
writeFileSync(file, w.bytes());

const checks = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
const tshark = (args: string[]): string => execFileSync('tshark', ['-r', file, ...checks, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

const known = new Set(execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).split('\n').map((l) => l.split('\t')[2]));
const ours = new Set<string>();
for (const n of names) for (const l of dissect(CATALOG[n]).layers) for (const k of Object.keys(l.fields)) ours.add(k);
const fields = ['frame.protocols', ...[...ours].filter((f) => known.has(f)).sort()];

const out = tshark(['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])]);
const rows = out.trimEnd().split('\n');
const frames = names.map((n, i) => {
  const vals = rows[i].split('\t');
  const f: Record<string, string> = {};
  fields.forEach((k, j) => {
    if (vals[j] !== undefined && vals[j] !== '') f[k] = vals[j];
  });
  return { name: n, hex: Buffer.from(CATALOG[n]).toString('hex'), tshark: f };
});
const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
writeFileSync(join(here, 'catalog.tshark.json'), JSON.stringify({ tshark: version, command: `tshark -r catalog.pcapng ${checks.join(' ')} -T fields -E occurrence=a -E aggregator=, -e ...`, fields, frames }, null, 1) + '\n');
writeFileSync(join(here, 'catalog.tshark.txt'), tshark(['-V']));
console.log(`${frames.length} frames, ${fields.length} fields -> ${here}`);
