/**
 * Shared setup for the net data-path tests: a host with veth0/veth1 (ifindex 3/2, as in a fresh
 * netns), verdicts.bpf.o loaded once, and setters for its .data configuration
 * (ret[i] at 4*i, classid[i] at 32+4*i, redir[i] = {kind, ifindex, flags} at 64+12*i) and
 * getters for its .bss counters (hits[i] u64 at 8*i, seen tc_index[i] at 64+4*i).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Host } from '../../src/net/host.js';
import type { LoadedObject } from '../../src/net/datapath.js';
import type { NetDevice } from '../../src/net/device.js';
import { udpFrame } from '../../src/net/scenario.js';

export const VERDICTS = readFileSync(join(__dirname, '..', 'goldens', 'net', 'verdicts.bpf.o'));

export interface Lab {
  host: Host;
  veth0: NetDevice;
  veth1: NetDevice;
  obj: LoadedObject;
  set(off: number, v: number): void;
  ret(i: number, v: number): void;
  classid(i: number, v: number): void;
  redirect(i: number, kind: number, ifindex: number, flags?: number): void;
  hits(): number[];
  seen(i: number): number;
  frame: Uint8Array;
}

export function lab(): Lab {
  const host = new Host();
  const [veth0, veth1] = host.addVeth('veth0', 'veth1');
  veth0.mac = Uint8Array.of(2, 0, 0, 0, 0, 1);
  veth1.mac = Uint8Array.of(2, 0, 0, 0, 0, 2);
  veth0.up = veth1.up = true;
  const obj = host.loadObject(VERDICTS, { objectName: 'verdicts' });
  const data = obj.collection.map('.data');
  const bss = obj.collection.map('.bss');
  const key = new Uint8Array(4);
  const val = (m: typeof data): Uint8Array => {
    const v = m.lookup(key);
    return (Array.isArray(v) ? v[0] : v)!.slice();
  };
  const set = (off: number, v: number): void => {
    const b = val(data);
    new DataView(b.buffer).setUint32(off, v >>> 0, true);
    data.update(key, b, 0);
  };
  return {
    host,
    veth0,
    veth1,
    obj,
    set,
    ret: (i, v) => set(4 * i, v),
    classid: (i, v) => set(32 + 4 * i, v),
    redirect: (i, kind, ifindex, flags = 0) => {
      set(64 + 12 * i, kind);
      set(68 + 12 * i, ifindex);
      set(72 + 12 * i, flags);
    },
    hits: () => {
      const b = val(bss);
      const dv = new DataView(b.buffer);
      return Array.from({ length: 8 }, (_, i) => Number(dv.getBigUint64(8 * i, true)));
    },
    seen: (i) => new DataView(val(bss).buffer).getUint32(64 + 4 * i, true),
    frame: udpFrame('10.77.0.2:4000', '10.77.0.1:7777'),
  };
}
