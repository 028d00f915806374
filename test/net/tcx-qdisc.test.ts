/**
 * How a clsact/ingress qdisc keeps the tcx entry (and its revision) alive: the kernel's answers
 * in test/goldens/tcx/qdisc/*.out.json (recorded by qdisc/qdisc.c, which runs real `tc`/`ip`
 * commands next to bpf(2) calls). Replayed here through TcxHook.miniqUse()/miniqUnuse() with a
 * minimal stand-in for the qdisc layer (the real one is the classic engine's): clsact uses both
 * directions, ingress only ingress; replacing one kind by the other fails on 6.18.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { BpfProcess, Host, type NetDevice } from '../../src/net/index.js';

const dir = join(import.meta.dirname, '../goldens/tcx/qdisc');

type Kind = 'clsact' | 'ingress';
const dirsOf = (k: Kind) => (k === 'clsact' ? (['ingress', 'egress'] as const) : (['ingress'] as const));

function replay(text: string): string[] {
  const host = new Host();
  const proc = new BpfProcess(host);
  const qdisc = new Map<NetDevice, Kind>();
  const progs: number[] = [];
  const links: number[] = [];
  const linkIds: number[] = [];
  let target = 1;
  const out: string[] = [];

  const qdiscAdd = (dev: NetDevice, kind: Kind): void => {
    qdisc.set(dev, kind);
    for (const d of dirsOf(kind)) dev.tcx(d).miniqUse();
    // qdisc shutdown on unregister (before tcx uninstall)
    dev.unregisterHooks.push(() => qdiscDel(dev));
  };
  const qdiscDel = (dev: NetDevice): void => {
    const kind = qdisc.get(dev);
    if (!kind) return;
    qdisc.delete(dev);
    for (const d of dirsOf(kind)) dev.tcx(d).miniqUnuse();
  };
  const sh = (cmd: string): boolean => {
    let m = /^tc qdisc add dev (\S+) (clsact|ingress)$/.exec(cmd);
    if (m) {
      const dev = host.device(m[1])!;
      if (qdisc.has(dev)) return false;
      qdiscAdd(dev, m[2] as Kind);
      return true;
    }
    m = /^tc qdisc del dev (\S+) (clsact|ingress)$/.exec(cmd);
    if (m) {
      const dev = host.device(m[1])!;
      if (qdisc.get(dev) !== m[2]) return false;
      qdiscDel(dev);
      return true;
    }
    m = /^tc qdisc replace dev (\S+) handle ffff: (clsact|ingress)$/.exec(cmd);
    if (m) {
      const dev = host.device(m[1])!;
      const cur = qdisc.get(dev);
      if (cur && cur !== m[2]) return false; // "Invalid qdisc name: must match existing qdisc"
      if (!cur) qdiscAdd(dev, m[2] as Kind);
      return true;
    }
    m = /^ip link add (\S+) type veth peer name (\S+)$/.exec(cmd);
    if (m) {
      host.addVeth(m[1], m[2]);
      return true;
    }
    m = /^ip link del (\S+)$/.exec(cmd);
    if (m) {
      host.deleteDevice(m[1]);
      return true;
    }
    throw new Error(`unhandled: ${cmd}`);
  };
  const at = (d: string) => (d === 'egress' ? 47 : 46);
  const name = (id: number) => {
    const i = progs.findIndex((fd) => proc.progInfo(fd).id === id);
    return JSON.stringify(i >= 0 ? `p${i + 1}` : `id:${id}`);
  };

  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trimEnd();
    if (line.startsWith('sh ')) {
      out.push(`{"line":${i + 1},"op":${JSON.stringify(line)},"result":"${sh(line.slice(3)) ? 'ok' : 'failed'}"}`);
      return;
    }
    const tok = line.split(/[ \t]+/).filter(Boolean);
    if (!tok.length) return;
    let extra = '';
    let result = 'ok';
    try {
      switch (tok[0]) {
        case 'progs':
          for (let k = 0; k < Number(tok[1]); k++) progs.push(proc.progLoad());
          break;
        case 'dev':
          target = host.device(tok[1])!.ifindex;
          extra = `,"ifindex":${target}`;
          break;
        case 'attach':
        case 'detach': {
          let k = 2;
          const fd = tok[2]?.startsWith('p') ? progs[Number(tok[k++].slice(1)) - 1] : 0;
          let flags = 0;
          for (; k < tok.length; k++) flags |= tok[k] === 'before' ? 8 : tok[k] === 'after' ? 16 : 0;
          const a = { target_ifindex: target, attach_bpf_fd: fd, attach_type: at(tok[1]), attach_flags: flags };
          if (tok[0] === 'attach') proc.progAttach(a);
          else proc.progDetach(a);
          break;
        }
        case 'link': {
          const fd = proc.linkCreate({ prog_fd: progs[Number(tok[2].slice(1)) - 1], target_ifindex: target, attach_type: at(tok[1]), flags: 0 });
          links.push(fd);
          linkIds.push(proc.linkInfo(fd).id);
          extra = `,"link":"l${links.length}"`;
          break;
        }
        case 'link-detach':
          proc.linkDetach(links[Number(tok[1].slice(1)) - 1]);
          break;
        case 'link-close':
          proc.close(links[Number(tok[1].slice(1)) - 1]);
          break;
        case 'link-info': {
          const li = proc.linkInfo(links[Number(tok[1].slice(1)) - 1]);
          extra = `,"prog":${name(li.progId)},"ifindex":${li.ifindex}`;
          break;
        }
        case 'query': {
          const q = proc.progQuery({ target_ifindex: target, attach_type: at(tok[1]), count: 64 });
          const lk = q.linkIds.map((id) => {
            const k = linkIds.indexOf(id);
            return id && k >= 0 ? `"l${k + 1}"` : 'null';
          });
          extra = `,"revision":${q.revision},"count":${q.count},"progs":[${q.progIds.map(name).join(',')}],"links":[${lk.join(',')}]`;
          break;
        }
        default:
          throw new Error(`unknown op ${tok[0]}`);
      }
    } catch (e) {
      if (!(e instanceof ErrnoError)) throw e;
      result = e.errno;
    }
    out.push(`{"line":${i + 1},"op":${JSON.stringify(tok.join(' '))}${extra},"result":"${result}"}`);
  });
  return out;
}

describe('tcx entries held by clsact/ingress qdiscs (kernel goldens from qdisc/qdisc.c)', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()) {
    it(f, () => {
      const want = readFileSync(join(dir, f.replace(/\.txt$/, '.out.json')), 'utf8').split('\n').filter(Boolean);
      expect(replay(readFileSync(join(dir, f), 'utf8'))).toEqual(want);
    });
  }
});
