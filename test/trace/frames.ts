/**
 * Test-side facts about frames, computed from the bytes (not from tcxlab's output), and the
 * kernel's recorded answers (test/goldens/run, recorded with `oracle run` by record.sh there).
 */
import { readFileSync } from 'node:fs';
import { parsePackets, type PacketLine } from '../../src/cli/load.js';

export const MIXED = 'test/goldens/run/packets/mixed.txt';

export function mixedPackets(): PacketLine[] {
  return parsePackets(readFileSync(MIXED, 'utf8'));
}

/** What bench_parse.bpf.c looks at: L4 protocol of a complete IPv4 (ihl >= 5) / IPv6 header after at most one VLAN tag. */
export function parseL4(f: Uint8Array): { l3: 'ip' | 'ip6' | 'other'; l4?: number } {
  if (f.length < 14) return { l3: 'other' };
  let proto = (f[12] << 8) | f[13];
  let off = 14;
  if (proto === 0x8100 || proto === 0x88a8) {
    if (f.length < 18) return { l3: 'other' };
    proto = (f[16] << 8) | f[17];
    off = 18;
  }
  if (proto === 0x0800 && f.length >= off + 20 && (f[off] & 0xf) >= 5) return { l3: 'ip', l4: f[off + 9] };
  if (proto === 0x86dd && f.length >= off + 40) return { l3: 'ip6', l4: f[off + 6] };
  return { l3: 'other' };
}

/** The kernel's runs for a golden (by name in test/goldens/run/manifest.json). */
export function kernelRuns(name: string): Array<{ line: number; err: number; retval?: number }> {
  return JSON.parse(readFileSync(`test/goldens/run/${name}.json`, 'utf8')).runs;
}
