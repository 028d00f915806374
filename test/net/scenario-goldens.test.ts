/**
 * Every scenario under test/goldens/net/ that has a kernel recording (NAME.kernel.json, made by
 * `sudo python3 test/goldens/net/record.py test/goldens/net/NAME.net`) must come out the same on
 * the emulator, step by step: success or failure, the netlink/bpf errno, local UDP delivery of
 * every sent frame, the skb drop reasons (skb:kfree_skb), and every map dump byte for byte
 * (program run counts, run order, tc_index seen by programs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/net/scenario.js';
import { ENGINES } from '../../vm/engine.js';

const DIR = join(__dirname, '..', 'goldens', 'net');
const ROOT = join(__dirname, '..', '..');

interface KernelStep {
  line: number;
  cmd: string;
  rc: number;
  errno?: string;
  msg?: string;
  delivered?: number;
  value?: string;
  frame?: string;
  send_errno?: string;
  /** skb:kfree_skb events during the send: [reason, freeing function]. */
  drops?: [string, string][];
}

/**
 * Drops that tcxlab models: those freed on the tc/redirect/veth path. Not the IP stack's
 * (ip_rcv_core OTHERHOST, ip_error), not the sender's packet socket purging its queue, and not
 * other users of the machine (the tracepoint is global: e.g. bpf_prog_test_run_skb).
 */
const TC_PATH = /^(__netif_receive_skb_core|__dev_queue_xmit|skb_do_redirect|__bpf_redirect|__dev_forward_skb|veth_xmit|sch_handle_|tcf_|tc_run)/;
const modelledDrops = (d: [string, string][]): string[] =>
  d.filter(([, fn]) => TC_PATH.test(fn)).map(([r]) => r).sort();

const goldens = readdirSync(DIR)
  .filter((f) => f.endsWith('.kernel.json'))
  .map((f) => f.slice(0, -'.kernel.json'.length));

describe('net scenarios vs the kernel', () => {
  it('has recordings', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(3);
  });
  for (const [name, engine] of goldens.flatMap((g) => ENGINES.map((e) => [g, e] as const))) {
    it(`${name} (${engine})`, () => {
      const kernel = JSON.parse(readFileSync(join(DIR, `${name}.kernel.json`), 'utf8')) as { steps: KernelStep[] };
      const text = readFileSync(join(DIR, `${name}.net`), 'utf8');
      const { steps } = runScenario(text, { readFile: (p) => new Uint8Array(readFileSync(p)), cwd: ROOT, engine });
      expect(steps.map((s) => s.line)).toEqual(kernel.steps.map((s) => s.line));
      kernel.steps.forEach((k, i) => {
        const e = steps[i];
        const where = `line ${k.line}: ${k.cmd}`;
        expect(e.rc === 0, `${where} (${e.msg ?? ''})`).toBe(k.rc === 0);
        if (k.errno) expect(e.errno, where).toBe(k.errno);
        if (k.frame) expect(e.frame, where).toBe(k.frame);
        if (k.cmd.startsWith('send')) expect(e.sendErrno, `${where}: send errno`).toBe(k.send_errno);
        if (k.delivered !== undefined) expect(e.delivered, where).toBe(k.delivered);
        if (k.value !== undefined) expect(e.value, where).toBe(k.value);
        if (k.drops !== undefined) {
          const ours = (e.trace?.fates ?? []).filter((f) => f.kind === 'drop').map((f) => f.reason!).sort();
          expect(ours, `${where}: drop reasons`).toEqual(modelledDrops(k.drops));
        }
      });
    });
  }
});
