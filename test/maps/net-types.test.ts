/**
 * The map types added for real-world tc objects, beyond what the kernel goldens can show (those
 * are in test/goldens/maps/syscall and the maps_net.* run goldens): sk_storage and sockmap
 * updates on sockets of the socket table (the oracle has no sockets to find), and devmap updates
 * checked against an emulated host's devices.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { Host } from '../../src/net/host.js';
import type { SkbSock } from '../../src/skb/skb.js';
import { ErrnoError } from '../../vm/errors.js';
import { ERRNO } from '../../src/uapi.js';

const ROOT = join(import.meta.dirname, '../..');
const bytes = (): Uint8Array => new Uint8Array(readFileSync(join(ROOT, 'progs/maps_net.bpf.o')));
// IPv4 TCP 10.0.0.1:40000 -> 10.0.0.2:80 (test/goldens/run/packets/mixed.txt, line 2)
const TCP = Uint8Array.from(Buffer.from('02000000000202000000000108004500002800010000400666cd0a0000010a0000029c400050000000010000000050022000df4e0000', 'hex'));
const sock = (state: number): SkbSock => ({ boundDevIf: 0, family: 2, srcIp: Uint8Array.of(10, 0, 0, 2), dstIp: Uint8Array.of(10, 0, 0, 1), srcPort: 80, dstPort: 40000, state, rxQueueMapping: -1 });
const TCP_ESTABLISHED = 1;
const TCP_TIME_WAIT = 6;

function res(c: Collection): bigint[] {
  const v = c.map('.bss').lookup(new Uint8Array(4)) as Uint8Array;
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: 3 }, (_, i) => dv.getBigInt64(i * 8, true));
}

describe('[maps/sk_storage]: storage follows the socket-table socket', () => {
  it('the same socket keeps its storage across runs; another socket has its own', () => {
    const c = Collection.load(bytes(), { objectName: 'maps_net' });
    const a = sock(TCP_ESTABLISHED);
    const b = sock(TCP_ESTABLISHED);
    let current = a;
    const env = { socketLookup: () => current };
    c.run('maps_sk_table', TCP, { env });
    expect(res(c)).toEqual([1n, 1n, BigInt(-ERRNO.EOPNOTSUPP)]);
    c.run('maps_sk_table', TCP, { env });
    expect(res(c)[1]).toBe(2n);
    current = b;
    c.run('maps_sk_table', TCP, { env });
    expect(res(c)[1]).toBe(1n);
  });
  it('a time-wait socket is not a full socket: no storage (bpf_sk_storage_get returns NULL)', () => {
    const c = Collection.load(bytes(), { objectName: 'maps_net' });
    c.run('maps_sk_table', TCP, { env: { socketLookup: () => sock(TCP_TIME_WAIT) } });
    expect(res(c).slice(0, 2)).toEqual([1n, -1n]);
  });
  it('without a socket table nothing is found (as on the kernel oracle)', () => {
    const c = Collection.load(bytes(), { objectName: 'maps_net' });
    c.run('maps_sk_table', TCP);
    expect(res(c)).toEqual([0n, 0n, 0n]);
  });
});

describe('[maps/devmap]: Host.loadObject checks ifindexes against the host', () => {
  it('an existing device is accepted, an unknown ifindex is EINVAL; ifindex 0 empties the slot', () => {
    const h = new Host();
    const [veth0] = h.addVeth('veth0', 'veth1');
    const devs = h.loadObject(bytes()).collection.map('devs');
    const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
    devs.update(u32(0), u32(veth0.ifindex));
    expect(devs.lookup(u32(0))).toEqual(u32(veth0.ifindex));
    let err: unknown;
    try {
      devs.update(u32(1), u32(4242));
    } catch (e) {
      err = e;
    }
    expect((err as ErrnoError).errno).toBe('EINVAL');
    devs.update(u32(0), u32(0));
    expect(devs.lookup(u32(0))).toBeUndefined();
  });
});
