/**
 * @fileoverview `--pcap-out`: a pcapng file of what left each hook, with the story in packet
 * comments so that Wireshark / `tshark -V` show it next to the bytes.
 *
 * - `tcxlab net`: one pcapng interface per (device, direction) hook that ran, named
 *   "DEV ingress" / "DEV egress"; one packet per hook pass (HookEvent.frame), with comments
 *   naming the send it belongs to, each program run and its return (TCX_* or cls_bpf TC_ACT_*),
 *   the hook's verdict (TC_ACT_*), and what became of the skb next: the next event (a
 *   redirect, the driver's xmit) or its fate (stack, drop with the kernel's drop reason,
 *   consumed, transmitted).
 * - `tcxlab run`: one interface per program ("PROG test_run"); one packet per run, data_out
 *   (the input when the run failed, said so in a comment), with the retval, its TC_ACT_* and TCX_*
 *   names and what tcx would do with it (tcx_action_code).
 */
import type { NetTrace, HookEvent, TraceEvent } from '../net/trace.js';
import { tcActName, tcxRetName } from '../tc-verdict.js';
import type { TestRunResult } from '../test-run.js';
import { PcapngWriter } from './writer.js';

/** tcx_action_code: what the tcx hook does with a program's return. */
function tcxFate(ret: number): string {
  switch (ret) {
    case 0:
      return 'pass (TCX_PASS: on to the stack / the driver)';
    case 2:
      return 'drop (TCX_DROP: SKB_DROP_REASON_TC_INGRESS or TC_EGRESS)';
    case 7:
      return 'redirect (TCX_REDIRECT)';
    case -1:
      return 'next (TCX_NEXT: the next program, then classic tc)';
    default:
      return `unknown return ${ret}: tcx treats it as TCX_NEXT`;
  }
}

function eventText(e: TraceEvent): string {
  if (e.kind === 'redirect') return `${e.how} ${e.from} -> ${e.to} ${e.dir}${e.clone !== undefined ? ` (clone ${e.clone})` : ''}`;
  if (e.kind === 'xmit') return `xmit ${e.dev}${e.to ? ` -> ${e.to} rx` : ' (the wire)'}`;
  return `${e.dev} ${e.dir} hook`;
}

export class HookCapture {
  readonly writer = new PcapngWriter({ application: 'tcxlab' });
  private readonly ifaces = new Map<string, number>();
  private ts = 1_000_000_000n;

  private iface(name: string, description: string): number {
    let id = this.ifaces.get(name);
    if (id === undefined) {
      id = this.writer.addInterface({ name, description });
      this.ifaces.set(name, id);
    }
    return id;
  }

  private nextTs(ts?: bigint): bigint {
    this.ts = ts !== undefined && ts > this.ts ? ts : this.ts + 1000n;
    return this.ts;
  }

  /** One BPF_PROG_TEST_RUN of `prog` on `input` (`what`: e.g. "line 3" or "frame 3"). */
  addTestRun(prog: string, what: string, input: Uint8Array, r: TestRunResult, timestampNs?: bigint): void {
    const id = this.iface(`${prog} test_run`, `BPF_PROG_TEST_RUN of ${prog}: data_out of every run`);
    const comments = [`tcxlab run: ${what}, ${input.length} bytes in`];
    let data = r.dataOut;
    if (r.fault) comments.push(`program ${prog} faulted: ${r.fault.message}`, 'no data_out: this is the input frame');
    else if (r.err !== 0) comments.push(`test run refused the input: ${r.err} (the program did not run)`, 'no data_out: this is the input frame');
    else {
      const v = (r.retval ?? 0) | 0;
      comments.push(`program ${prog} returned ${v}: TC_ACT_${tcActName(v)}, ${tcxRetName(v)}`, `fate at a tcx hook: ${tcxFate(v)}`);
    }
    if (!data || r.fault || r.err !== 0) data = input;
    this.writer.addPacket(id, data, { timestampNs: this.nextTs(timestampNs), comments });
  }

  /** Every hook pass of one send (needs SendOptions.captureFrames). `what` names the send. */
  addNetTrace(t: NetTrace, what: string, timestampNs?: bigint): void {
    t.events.forEach((e, k) => {
      if (e.kind !== 'hook' || !e.frame) return;
      const id = this.iface(`${e.dev} ${e.dir}`, `tc ${e.dir} hook of ${e.dev} (ifindex ${e.ifindex}): frames as they left it`);
      this.writer.addPacket(id, e.frame, { timestampNs: this.nextTs(timestampNs), comments: this.hookStory(t, e, k, what), direction: e.dir === 'ingress' ? 'inbound' : 'outbound' });
    });
  }

  private hookStory(t: NetTrace, e: HookEvent, k: number, what: string): string[] {
    const out = [`${what}${e.pkt ? `, clone ${e.pkt}` : ''}: ${e.dev} ${e.dir}`];
    for (const r of e.tcx) out.push(`tcx ${r.prog}#${r.progId}: ${r.fault ? `fault: ${r.fault}` : `returned ${r.ret} (${tcxRetName(r.ret!)})`}`);
    if (e.classic) {
      for (const r of e.classic.runs) {
        out.push(`cls_bpf chain ${r.chain} pref ${r.prio} ${r.prog}#${r.progId}: ${r.fault ? `fault: ${r.fault}` : `returned ${r.ret} (${r.result === 'continue' ? 'continue' : `TC_ACT_${tcActName(r.result)}`})`}`);
      }
    }
    out.push(`verdict: TC_ACT_${tcActName(e.verdict)}${e.tcx.length ? ` (tcx: ${e.tcxVerdict})` : ''}`);
    // clone_redirects happen inside the hook's program runs; the next other event is what followed
    const later = t.events.slice(k + 1).filter((x) => x.pkt === e.pkt);
    let i = 0;
    for (; i < later.length; i++) {
      const x = later[i];
      if (x.kind !== 'redirect' || x.how !== 'clone_redirect') break;
      out.push(`during the hook: ${eventText(x)}`);
    }
    const next = later[i];
    if (next) out.push(`then: ${eventText(next)}`);
    else {
      const f = t.fates.find((x) => x.pkt === e.pkt);
      if (f) out.push(`fate: ${f.kind}${f.kind === 'drop' ? ` (SKB_DROP_REASON_${f.reason})` : ''} at ${f.dev}`);
    }
    return out;
  }

  bytes(): Uint8Array {
    return this.writer.bytes();
  }
}
