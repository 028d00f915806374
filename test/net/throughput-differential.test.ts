/**
 * Seeded differential test of the netdev's per-packet reuse (src/net/datapath.ts): the same
 * random setups and packet sequences go through four identical worlds,
 *
 *   ref    a fresh Datapath for every send, fully traced: a new skb, run states taken from the
 *          pool and rebound to it (rebindSkbRunState), new result objects: nothing carried over
 *          from the last send but the maps, devices and clock
 *   full   host.send with the full trace (the reused Datapath, skb and run states)
 *   off    host.send in throughput mode (trace 'off': reused trace, fates and printk too)
 *   mixed  host.send alternating the two modes
 *
 * and after every send the fates (kind, device, drop reason, frame bytes, mark, tc_index,
 * priority), the transmit status, the printk lines and the whole .bss of verdicts.bpf.o (what
 * each program saw of tc_index, mark and priority, the order they ran in, clone_redirect's
 * returns) must be the same in all four; the traced worlds' events too. A planted bug (a
 * throughput-mode frame view that does not follow the skb) must make the comparison fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assembleProgram } from '../../vm/asm.js';
import { ENGINES, type Engine } from '../../vm/engine.js';
import { link } from '../../vm/link.js';
import { BPF_F_INGRESS, TC_ACT, TC_ACT_GOTO_CHAIN } from '../../vm/uapi.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { Datapath, type LoadedObject, type SendOptions } from '../../src/net/datapath.js';
import type { NetDevice } from '../../src/net/device.js';
import { Host } from '../../src/net/host.js';
import type { NetProgram } from '../../src/net/prog-handle.js';
import type { NetTrace } from '../../src/net/trace.js';
import { udpFrame } from '../../src/net/scenario.js';
import { Skb } from '../../src/skb/skb.js';
import { rngFor, type Rng } from '../fuzz/rng.js';
import { VERDICTS } from './net-helpers.js';

const DEVICES = ['veth0', 'veth1', 'dummy0', 'vx0', 'vx1'] as const;
type DevName = (typeof DEVICES)[number];

interface Slot {
  ret: number;
  classid: number;
  mark: number;
  priority: number;
  redir: [kind: number, dev: DevName | 'lo' | 'none', flags: number];
}
interface Attach {
  dev: DevName;
  dir: 'ingress' | 'egress';
  prog: string;
  /** Absent: a tcx attachment; else a cls_bpf filter on the clsact qdisc. */
  filter?: { prio: number; da: boolean; classid: number };
}
interface Send {
  dev: DevName;
  dir: 'ingress' | 'egress';
  len: number;
  dmac: 'host' | 'bcast' | 'mcast' | 'other';
  mark: number;
  priority: number;
}
interface Plan {
  slots: Slot[];
  attach: Attach[];
  sends: Send[];
}

const RETS = [-1, -1, -1, TC_ACT.TC_ACT_OK, TC_ACT.TC_ACT_SHOT, TC_ACT.TC_ACT_REDIRECT, TC_ACT.TC_ACT_REDIRECT, TC_ACT.TC_ACT_REDIRECT, TC_ACT.TC_ACT_STOLEN, TC_ACT.TC_ACT_RECLASSIFY, TC_ACT.TC_ACT_PIPE, TC_ACT.TC_ACT_QUEUED, TC_ACT.TC_ACT_REPEAT, TC_ACT.TC_ACT_TRAP, TC_ACT_GOTO_CHAIN | 1, 0x12345];

function plan(r: Rng): Plan {
  const slots: Slot[] = [];
  for (let i = 0; i < 8; i++) {
    slots.push({
      ret: r.pick(RETS),
      classid: r.chance(0.4) ? r.pick([0x10001, 0x10002, 0x20005, r.u32()]) : 0,
      mark: r.chance(0.3) ? r.u32() : 0,
      priority: r.chance(0.3) ? r.int(8) + 1 : 0,
      redir: [r.chance(0.5) ? r.int(5) : 0, r.pick([...DEVICES, 'lo', 'none'] as const), r.chance(0.4) ? BPF_F_INGRESS : 0],
    });
  }
  const attach: Attach[] = [];
  for (let k = 2 + r.int(8); k > 0; k--) {
    const a: Attach = { dev: r.pick(DEVICES), dir: r.chance(0.6) ? 'ingress' : 'egress', prog: r.chance(0.15) ? 'say' : `v${r.int(8)}` };
    if (r.chance(0.4)) a.filter = { prio: r.int(3) + 1, da: r.chance(0.7), classid: r.chance(0.5) ? 0x10003 : 0 };
    attach.push(a);
  }
  const sends: Send[] = [];
  for (let k = 0; k < 12; k++) {
    // mostly where programs are attached
    const a = r.chance(0.8) ? r.pick(attach) : undefined;
    sends.push({
      dev: a?.dev ?? r.pick(DEVICES),
      dir: a?.dir ?? (r.chance(0.6) ? 'ingress' : 'egress'),
      len: r.pick([14, 40, 60, 64, 64, 64, 128, 600]),
      dmac: r.pick(['host', 'host', 'bcast', 'mcast', 'other'] as const),
      mark: r.chance(0.2) ? r.u32() : 0,
      priority: r.chance(0.2) ? r.int(4) : 0,
    });
  }
  return { slots, attach, sends };
}

const NO_REDIR: Slot['redir'] = [0, 'none', 0];
const slot = (ret: number, redir = NO_REDIR): Slot => ({ ret, classid: 0, mark: 0, priority: 0, redir });
const send = (dev: DevName, dir: Send['dir'], len = 64): Send => ({ dev, dir, len, dmac: 'host', mark: 0, priority: 0 });

/**
 * Hand-made plans for what reuse could carry from one send to the next: a redirect requested on
 * the last send and a REDIRECT verdict without one on this send, at the same hook depth (drop,
 * NOT_SPECIFIED); a clone_redirect whose clone's hooks run nested (depth 1) before a plain send;
 * frames whose length changes (the skb buffer is made anew) and sends alternating namespaces.
 */
const TARGETED: Plan[] = [
  {
    slots: [slot(TC_ACT.TC_ACT_REDIRECT, [1, 'veth1', 0]), slot(TC_ACT.TC_ACT_REDIRECT), slot(-1), slot(-1), slot(-1), slot(-1), slot(-1), slot(-1)],
    attach: [
      { dev: 'veth0', dir: 'ingress', prog: 'v0' },
      { dev: 'dummy0', dir: 'egress', prog: 'v1' },
    ],
    sends: [send('veth0', 'ingress'), send('dummy0', 'egress'), send('veth0', 'ingress'), send('dummy0', 'egress', 600)],
  },
  {
    slots: [slot(TC_ACT.TC_ACT_OK, [3, 'veth1', 0]), slot(TC_ACT.TC_ACT_SHOT), slot(-1, [3, 'vx0', BPF_F_INGRESS]), slot(-1), slot(-1), slot(-1), slot(-1), slot(-1)],
    attach: [
      { dev: 'veth0', dir: 'ingress', prog: 'v0' },
      { dev: 'veth1', dir: 'egress', prog: 'v1' },
      { dev: 'vx1', dir: 'ingress', prog: 'v2' },
      { dev: 'vx0', dir: 'ingress', prog: 'say', filter: { prio: 1, da: true, classid: 0 } },
    ],
    sends: [send('veth0', 'ingress'), send('vx1', 'ingress', 40), send('veth0', 'ingress', 128), send('vx0', 'egress'), send('vx1', 'ingress', 14), send('veth0', 'ingress')],
  },
];

interface World {
  dev(name: DevName): NetDevice;
  obj: LoadedObject;
  send(s: Send, opts: SendOptions): NetTrace;
}

/**
 * A host with veth0/veth1, dummy0, and vx0 whose peer vx1 lives in a second namespace on the
 * same kernel; verdicts.bpf.o and a printk program loaded; the plan's configuration applied.
 * `how` says how sends go through the datapath.
 */
function world(p: Plan, how: 'ref' | 'host'): World {
  const host = new Host();
  const ns2 = new Host({ kernel: host.kernel });
  const [veth0, veth1] = host.addVeth('veth0', 'veth1');
  const dummy0 = host.addDummy('dummy0');
  const [vx0, vx1] = host.addVeth('vx0', 'vx1');
  host.moveDevice(vx1, ns2);
  const devs: Record<DevName, NetDevice> = { veth0, veth1, dummy0, vx0, vx1 };
  for (const [i, d] of Object.values(devs).entries()) {
    d.mac = Uint8Array.of(2, 0, 0, 0, 0, i + 1);
    d.up = true;
  }
  const obj = host.loadObject(VERDICTS, { objectName: 'verdicts' });
  const data = obj.collection.map('.data');
  const cfg = new Uint8Array(data.valueSize);
  const dv = new DataView(cfg.buffer);
  const ifindexOf = (d: DevName | 'lo' | 'none'): number => (d === 'none' ? 99 : d === 'lo' ? 1 : devs[d].ifindex);
  p.slots.forEach((s, i) => {
    dv.setUint32(4 * i, s.ret >>> 0, true);
    dv.setUint32(32 + 4 * i, s.classid >>> 0, true);
    dv.setUint32(64 + 12 * i, s.redir[0], true);
    dv.setUint32(68 + 12 * i, ifindexOf(s.redir[1]), true);
    dv.setUint32(72 + 12 * i, s.redir[2], true);
    dv.setUint32(160 + 4 * i, s.mark >>> 0, true);
    dv.setUint32(192 + 4 * i, s.priority >>> 0, true);
  });
  data.update(new Uint8Array(4), cfg, 0);
  // bpf_trace_printk("hi", 4) and TCX_NEXT / TC_ACT_UNSPEC
  const say = assembleProgram('stw [%r10-4], 0x6968\nmov %r1, %r10\nadd %r1, -4\nmov %r2, 4\ncall 6\nmov %r0, -1\nexit');
  const sayProg: NetProgram = { linked: link(say, { name: 'say', helpers: buildHelperTable() }), mem: host.kernel.memory };
  const sayHandle = host.loadProg({ name: 'say', program: sayProg });
  const prog = (name: string) => (name === 'say' ? sayHandle : obj.program(name));
  for (const a of p.attach) {
    const d = devs[a.dev];
    if (!a.filter) {
      if (!d.tcx(a.dir).programs().some((x) => x.name === a.prog)) d.tcx(a.dir).attach(prog(a.prog));
      continue;
    }
    if (!d.tc.current) d.tc.qdisc('clsact');
    d.tc.filter({ dir: a.dir, prog: prog(a.prog), ...a.filter });
  }
  const frameOf = (s: Send): Uint8Array => {
    const dst = devs[s.dev].peer ?? devs[s.dev];
    const dmac = { host: [...devs[s.dev].mac], bcast: [255, 255, 255, 255, 255, 255], mcast: [1, 0, 0x5e, 0, 0, 1], other: [2, 9, 9, 9, 9, 9] }[s.dmac];
    const f = udpFrame('10.1.0.1:1000', '10.1.0.2:2000', { len: Math.max(s.len, 42) }).slice(0, s.len);
    f.set(s.dir === 'ingress' ? dmac : [...dst.mac], 0);
    return f;
  };
  return {
    dev: (name) => devs[name],
    obj,
    send(s, opts) {
      const d = devs[s.dev];
      const o: SendOptions = { ...opts, dir: s.dir, mark: s.mark, priority: s.priority };
      if (how === 'host') return d.host === host ? host.send(d, frameOf(s), o) : ns2.send(d, frameOf(s), o);
      // gives its run states back to the pool when done (only sendFrame's keeps them)
      return new Datapath(d.host, o).send(d, frameOf(s));
    },
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** What a send decided and left in the maps (copied out: a throughput-mode trace is reused). */
function outcome(t: NetTrace, w: World): string {
  const bss = w.obj.collection.map('.bss').lookup(new Uint8Array(4)) as Uint8Array;
  return JSON.stringify({
    fates: t.fates.map((f) => [f.pkt, f.kind, f.dev, f.reason, hex(f.frame), f.mark, f.tcIndex, f.priority]),
    fate: t.fate ? [t.fate.pkt, t.fate.kind] : undefined,
    xmit: t.xmitStatus,
    printk: t.printk,
    timers: t.timers?.length ?? 0,
    bss: hex(bss),
  });
}

/** The traced events, JSON (frames as hex). */
const events = (t: NetTrace): string => JSON.stringify(t.events, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v));

/** A targeted plan (seed < 0: TARGETED[-1 - seed]) or a random one. */
const planOf = (seed: number): Plan => (seed < 0 ? TARGETED[-1 - seed] : plan(rngFor(0x6e657464, seed)));

/**
 * Run plan `seed` through the four worlds; the first difference, or undefined. Each world takes
 * all its sends before the next world starts: sends alternating between hosts would make
 * sendFrame hand each host's run states back to the pool every time, and the reuse across
 * sends would go untested.
 */
function differ(seed: number, engine: Engine): string | undefined {
  const p = planOf(seed);
  const modes: Record<string, (k: number) => SendOptions> = {
    ref: () => ({ engine }),
    full: () => ({ engine }),
    off: () => ({ engine, trace: 'off' }),
    mixed: (k) => ({ engine, trace: k % 2 ? 'off' : 'full' }),
  };
  const runs: Record<string, { outcomes: string[]; events: string[] }> = {};
  for (const [name, mode] of Object.entries(modes)) {
    const w = world(p, name === 'ref' ? 'ref' : 'host');
    const r = (runs[name] = { outcomes: [] as string[], events: [] as string[] });
    for (const [k, s] of p.sends.entries()) {
      const t = w.send(s, mode(k));
      r.outcomes.push(outcome(t, w));
      r.events.push(mode(k).trace === 'off' ? '' : events(t));
    }
  }
  const ref = runs.ref;
  for (const [k, s] of p.sends.entries()) {
    for (const name of ['full', 'off', 'mixed']) {
      const o = runs[name].outcomes[k];
      if (o !== ref.outcomes[k]) return `seed ${seed} send ${k} (${JSON.stringify(s)}): ${name}\n  ${o}\nref\n  ${ref.outcomes[k]}`;
    }
    if (runs.full.events[k] !== ref.events[k]) return `seed ${seed} send ${k}: full's events differ from ref's`;
  }
  return undefined;
}

const SEEDS = 24;
/** Seeds per test (a test stays within a few seconds on a loaded machine). */
const BATCH = 4;

describe('throughput mode and reused per-packet state decide as a fresh, traced send', () => {
  for (const engine of ENGINES) {
    it(`targeted setups [${engine}]`, () => {
      for (let k = 0; k < TARGETED.length; k++) expect(differ(-1 - k, engine)).toBeUndefined();
    });
    for (let from = 0; from < SEEDS; from += BATCH) {
      it(`random setups ${from}..${from + BATCH - 1} × 12 sends [${engine}]`, () => {
        let hooks = 0;
        for (let seed = from; seed < from + BATCH; seed++) {
          expect(differ(seed, engine)).toBeUndefined();
          hooks += planOf(seed).attach.length;
        }
        expect(hooks).toBeGreaterThanOrEqual(2 * BATCH);
      });
    }
  }

  const bytesView = Object.getOwnPropertyDescriptor(Skb.prototype, 'bytesView')!;
  type FirstRun = (this: Datapath, hr: { opts: { run: { redirect?: unknown } } }, ...rest: unknown[]) => void;
  const proto = Datapath.prototype as unknown as { firstRun: FirstRun };
  const firstRun = proto.firstRun;
  afterEach(() => {
    Object.defineProperty(Skb.prototype, 'bytesView', bytesView);
    proto.firstRun = firstRun;
  });

  /** The first difference over the targeted plans (jit). */
  const firstDifference = (): string | undefined => {
    for (let seed = -TARGETED.length; seed < 0; seed++) {
      const d = differ(seed, 'jit');
      if (d !== undefined) return d;
    }
    return undefined;
  };

  it("fails on a planted bug: a hook's first run keeps the redirect the last send asked for", () => {
    proto.firstRun = function (hr, ...rest) {
      const stale = hr.opts.run.redirect;
      firstRun.call(this, hr, ...rest);
      if (stale !== undefined) hr.opts.run.redirect = stale;
    };
    expect(firstDifference()).toMatch(/: (full|off|mixed)\n/);
  });

  it('fails on a planted bug: a throughput-mode frame view that keeps the first layout it saw', () => {
    const stale = new WeakMap<Skb, Uint8Array>();
    Object.defineProperty(Skb.prototype, 'bytesView', {
      ...bytesView,
      value(this: Skb): Uint8Array {
        let v = stale.get(this);
        if (v === undefined) stale.set(this, (v = this.bytes()));
        return v;
      },
    });
    expect(firstDifference()).toMatch(/: (off|mixed)\n/);
  });
});
