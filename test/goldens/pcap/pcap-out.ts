/**
 * Records what tshark reads in the `--pcap-out` files of a few commands (pcap-out.tshark.json):
 * per frame its interface name and description, packet comments, direction flag, timestamp and
 * bytes. test/cli/pcap.test.ts runs the same commands and reads the files back with tcxlab's
 * own reader, which must see what tshark saw.
 *
 *   npx tsx test/goldens/pcap/pcap-out.ts
 *
 * Needs tshark (tested with 4.0.17).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { PCAP_OUT_COMMANDS } from '../../cli/pcap-out-commands.js';

const here = new URL('.', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tcxlab-pcap-out-'));
const SEP = '\x1f';
const out: Record<string, unknown> = {};
for (const [name, argv] of Object.entries(PCAP_OUT_COMMANDS)) {
  const file = join(dir, `${name}.pcapng`);
  const io = memoryIo();
  const code = await run([...argv, '--pcap-out', file], io);
  if (code !== 0) throw new Error(`${name}: exit ${code}: ${io.stderr}`);
  const fields = ['frame.interface_name', 'frame.interface_description', 'frame.comment', 'frame.packet_flags_direction', 'frame.time_epoch'];
  const rows = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${SEP}`, ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trimEnd()
    .split('\n');
  const raw = JSON.parse(execFileSync('tshark', ['-r', file, '-T', 'json', '-x'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 })) as { _source: { layers: { frame_raw: string[] } } }[];
  out[name] = rows.map((r, i) => {
    const [iface, desc, comments, dir2, ts] = r.split('\t');
    return { interface: iface, description: desc, comments: comments.split(SEP), direction: dir2 || undefined, time_epoch: ts, raw: raw[i]._source.layers.frame_raw[0] };
  });
}
const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
writeFileSync(join(here, 'pcap-out.tshark.json'), JSON.stringify({ tshark: version, commands: PCAP_OUT_COMMANDS, files: out }, null, 1) + '\n');
console.log(Object.keys(out).join(' '));
