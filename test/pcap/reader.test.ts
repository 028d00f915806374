/**
 * The pcap / pcapng reader on files made by Wireshark's tools and by dumpcap on the kernel
 * (test/goldens/pcap/record.sh), checked against what tshark read in them (expected.json);
 * the conversion of cooked (SLL, SLL2) and raw IP frames to Ethernet, checked against the same
 * traffic captured on the veth itself; both byte orders; malformed files and the caps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapError } from '../../vm/errors.js';
import { LINKTYPE, parseCapture, parseFrames, readCapture, toEthernet } from '../../src/pcap/index.js';
import { swapPcap, swapPcapng } from './swap.js';

const DIR = join(__dirname, '..', 'goldens', 'pcap');
const file = (n: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, n)));
interface Frame {
  time_epoch: string;
  len: number;
  cap_len: number;
  raw: string;
  sll?: Record<string, string>;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  files: Record<string, { capinfos: string[]; frames: Frame[] }>;
  cut: Record<string, { offset: number; frames_before: number }>;
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ENCAP: Record<string, number> = { ether: LINKTYPE.ETHERNET, rawip: LINKTYPE.RAW, rawip4: LINKTYPE.IPV4, rawip6: LINKTYPE.IPV6, 'linux-sll': LINKTYPE.LINUX_SLL, 'linux-sll2': LINKTYPE.LINUX_SLL2 };
/** tshark's "1700000000.123456789" as nanoseconds. */
const ns = (t: string): bigint => {
  const [s, f = ''] = t.split('.');
  return BigInt(s) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9));
};

describe('reader: files written by text2pcap, editcap and dumpcap, as tshark reads them', () => {
  for (const [name, want] of Object.entries(expected.files)) {
    it(`${name} (${want.capinfos.join(', ')})`, () => {
      const c = parseCapture(file(name));
      expect(c.error).toBeUndefined();
      expect(c.format).toBe(name.endsWith('.pcapng') ? 'pcapng' : 'pcap');
      expect(c.frames.map((f) => hex(f.data))).toEqual(want.frames.map((f) => f.raw));
      expect(c.frames.map((f) => f.origLen)).toEqual(want.frames.map((f) => f.len));
      expect(c.frames.map((f) => f.timestampNs)).toEqual(want.frames.map((f) => ns(f.time_epoch)));
      for (const f of c.frames) expect(f.linkType).toBe(ENCAP[want.capinfos[0]]);
      expect(c.frames.map((f) => f.index)).toEqual(want.frames.map((_, i) => i + 1));
    });
  }
});

describe('reader: both byte orders', () => {
  for (const name of ['eth-us.pcap', 'eth-ns.pcap', 'raw.pcap', 'any-sll.pcap']) {
    it(`${name} big-endian reads as the little-endian file`, () => {
      const le = readCapture(file(name));
      const be = readCapture(swapPcap(file(name)));
      expect(be.frames.map(({ data, timestampNs, linkType }) => ({ data, timestampNs, linkType }))).toEqual(le.frames.map(({ data, timestampNs, linkType }) => ({ data, timestampNs, linkType })));
    });
  }
  for (const name of ['eth.pcapng', 'raw6.pcapng', 'any-sll2.pcapng']) {
    it(`${name} big-endian section reads as the little-endian file`, () => {
      const le = readCapture(file(name));
      const be = readCapture(swapPcapng(file(name)));
      expect(be.frames.length).toBe(le.frames.length);
      expect(be.frames.map(({ data, timestampNs, linkType }) => ({ data, timestampNs, linkType }))).toEqual(le.frames.map(({ data, timestampNs, linkType }) => ({ data, timestampNs, linkType })));
    });
  }
});

describe('link types: what a tc program on an Ethernet device sees', () => {
  const eth = readCapture(file('veth0-eth.pcapng')).frames.map((f) => f.data);
  for (const name of ['any-sll.pcap', 'any-sll2.pcapng']) {
    it(`${name}: every cooked frame becomes the frame the veth carried (destination MAC rebuilt from the packet type)`, () => {
      const input = parseFrames(file(name));
      expect(input.error).toBeUndefined();
      expect(input.frames.length).toBe(eth.length);
      const pkttypes = expected.files[name].frames.map((f) => Number(f.sll!['sll.pkttype']));
      // the exchange has frames of every packet type a veth sees: to us, broadcast, multicast, outgoing
      expect(new Set(pkttypes)).toEqual(new Set([0, 1, 2, 4]));
      input.frames.forEach((f, i) => {
        // source MAC, EtherType and everything after: as on the wire
        expect(hex(f.data.subarray(6))).toBe(hex(eth[i].subarray(6)));
        const dst = hex(f.data.subarray(0, 6));
        const t = pkttypes[i];
        if (t === 1 || t === 2) expect(dst).toBe(hex(eth[i].subarray(0, 6)));
        else expect(dst).toBe('000000000000');
      });
    });
  }
  it('raw IP (101, 228, 229): an Ethernet header with zero MACs and the EtherType of the IP version', () => {
    for (const name of ['raw.pcap', 'raw.pcapng', 'raw4.pcap', 'raw6.pcapng']) {
      const raw = readCapture(file(name)).frames;
      const input = parseFrames(file(name));
      expect(input.frames.length).toBe(raw.length);
      input.frames.forEach((f, i) => {
        const v6 = raw[i].data[0] >> 4 === 6;
        expect(hex(f.data.subarray(0, 14))).toBe(`000000000000000000000000${v6 ? '86dd' : '0800'}`);
        expect(hex(f.data.subarray(14))).toBe(hex(raw[i].data));
      });
    }
  });
  it('Ethernet frames are unchanged; frame numbers and timestamps are carried', () => {
    const input = parseFrames(file('eth.pcapng'));
    expect(input.format).toBe('pcapng');
    expect(input.frames.map((f) => hex(f.data))).toEqual(expected.files['eth.pcapng'].frames.map((f) => f.raw));
    expect(input.frames.map((f) => f.line)).toEqual([1, 2, 3]);
    expect(input.frames[0].timestampNs).toBe(1_700_000_000_123_456_789n);
  });
  it('hex text is still hex text', () => {
    const input = parseFrames(new TextEncoder().encode('# c\n0200 0000 000b 0200 0000 000a 0800\n\nffffffffffff020000000000aa0806 # x\n'));
    expect(input.format).toBe('hex');
    expect(input.frames.map((f) => [f.line, hex(f.data)])).toEqual([
      [2, '02000000000b02000000000a0800'],
      [4, 'ffffffffffff020000000000aa0806'],
    ]);
  });
  it('frames too short for their cooked header and non-IP raw frames are errors with the offset; short Ethernet frames go to the run', () => {
    expect(toEthernet(LINKTYPE.ETHERNET, new Uint8Array(13), { offset: 40, frame: 2 }).length).toBe(13);
    expect(() => toEthernet(LINKTYPE.LINUX_SLL, new Uint8Array(15), { offset: 40, frame: 2 })).toThrow(/offset 40 .*frame 2: 15 bytes, shorter than a Linux SLL header \(16\)/);
    expect(() => toEthernet(LINKTYPE.LINUX_SLL2, new Uint8Array(19), { offset: 8, frame: 1 })).toThrow(PcapError);
    expect(() => toEthernet(LINKTYPE.RAW, Uint8Array.of(0x50, 0, 0), { offset: 8, frame: 1 })).toThrow(/IP version 5/);
    const sllNetlink = new Uint8Array(20);
    sllNetlink[2] = 824 >> 8;
    sllNetlink[3] = 824 & 0xff;
    expect(() => toEthernet(LINKTYPE.LINUX_SLL, sllNetlink, { offset: 8, frame: 1 })).toThrow(/netlink/);
  });
});

describe('malformed files: the error has the byte offset, the frames before it are kept', () => {
  for (const [name, want] of Object.entries(expected.cut)) {
    it(`${name}: cut inside frame 3 (offset from editcap's two-frame file)`, () => {
      const c = parseCapture(file(name));
      expect(c.frames.length).toBe(want.frames_before);
      expect(c.error).toBeInstanceOf(PcapError);
      expect(c.error!.code).toBe('E_PCAP');
      expect(c.error!.offset).toBe(want.offset);
      expect(c.error!.frame).toBe(3);
      expect(c.error!.message).toContain(`byte offset ${want.offset}`);
      expect(c.frames.map((f) => hex(f.data))).toEqual(expected.files[name.endsWith('.pcapng') ? 'eth.pcapng' : 'eth-us.pcap'].frames.slice(0, 2).map((f) => f.raw));
      expect(() => readCapture(file(name))).toThrow(PcapError);
      const input = parseFrames(file(name));
      expect(input.frames.length).toBe(2);
      expect(input.error?.offset).toBe(want.offset);
    });
  }
  for (const name of ['eth.pcapng', 'eth-us.pcap', 'any-sll2.pcapng']) {
    it(`${name}: every truncation gives a prefix of the frames and an offset inside the file`, () => {
      const full = file(name);
      const whole = readCapture(full).frames;
      const all = whole.map((f) => hex(f.data));
      let errors = 0;
      for (let n = 0; n < full.length; n += 3) {
        const c = parseCapture(full.subarray(0, n));
        expect(c.frames.map((f) => hex(f.data))).toEqual(all.slice(0, c.frames.length));
        if (c.error) {
          errors++;
          expect(c.error.offset).toBeLessThanOrEqual(n);
          expect(c.error.frame).toBe(c.frames.length + 1);
        } else if (c.frames.length < all.length) {
          // no error: the cut fell between records / blocks, before the next frame's
          expect(n).toBeLessThanOrEqual(whole[c.frames.length].offset);
        }
      }
      expect(errors).toBeGreaterThan(full.length / 3 / 2);
    });
  }
  it('bad magic, bad byte-order magic, bad block length, trailing length mismatch, unknown interface', () => {
    expect(parseCapture(new Uint8Array([1, 2, 3, 4, 5])).error?.message).toMatch(/unknown magic/);
    const ng = file('eth.pcapng');
    const badBom = ng.slice();
    badBom[8] ^= 0xff;
    expect(parseCapture(badBom).error?.offset).toBe(8);
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset);
    const shbLen = dv(ng).getUint32(4, true);
    const idbLen = dv(ng).getUint32(shbLen + 4, true);
    const epb = shbLen + idbLen;
    const odd = ng.slice();
    dv(odd).setUint32(epb + 4, 33, true);
    expect(parseCapture(odd).error?.offset).toBe(epb + 4);
    const trail = ng.slice();
    trail[epb + dv(ng).getUint32(epb + 4, true) - 4] ^= 1;
    expect(parseCapture(trail).error?.message).toMatch(/trailing total length/);
    const ifid = ng.slice();
    dv(ifid).setUint32(epb + 8, 5, true);
    const c = parseCapture(ifid);
    expect(c.frames.length).toBe(0);
    expect(c.error?.message).toMatch(/interface id 5/);
    const huge = file('eth-us.pcap').slice();
    dv(huge).setUint32(24 + 8, 0x7fffffff, true);
    expect(parseCapture(huge).error?.message).toMatch(/exceeds the frame size limit 262144 \(maxFrameBytes\)/);
  });
  it('caps: frame count and frame size name the limit that was hit', () => {
    const c = parseCapture(file('eth.pcapng'), { maxFrames: 2 });
    expect(c.frames.length).toBe(2);
    expect(c.error?.message).toMatch(/more than 2 frames \(maxFrames\)/);
    const d = parseCapture(file('eth-us.pcap'), { maxFrameBytes: 41 });
    expect(d.frames.length).toBe(0);
    expect(d.error?.message).toMatch(/captured length 42 exceeds the frame size limit 41/);
  });
  it('an unsupported link type is an error at the header', () => {
    const p = file('eth-us.pcap').slice();
    new DataView(p.buffer).setUint32(20, 105, true); // IEEE 802.11
    const c = parseCapture(p);
    expect(c.error?.offset).toBe(20);
    expect(c.error?.message).toMatch(/link type 105 is not supported/);
  });
});

describe('pcapng: several sections, simple and obsolete packet blocks', () => {
  it('concatenated files are sections, each in its own byte order, each with its own interfaces', () => {
    const a = file('eth.pcapng');
    const b = swapPcapng(file('raw6.pcapng'));
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    const c = readCapture(both);
    expect(c.frames.map((f) => f.linkType)).toEqual([1, 1, 1, LINKTYPE.IPV6]);
    expect(c.frames[3].interfaceId).toBe(0);
    expect(hex(c.frames[3].data)).toBe(expected.files['raw6.pcapng'].frames[0].raw);
    expect(c.frames.map((f) => f.index)).toEqual([1, 2, 3, 4]);
  });
  /** A little-endian pcapng block. */
  const blk = (type: number, body: number[]): number[] => {
    const pad = [...body, ...new Array((4 - (body.length % 4)) % 4).fill(0)];
    const n = 12 + pad.length;
    const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
    return [...u32(type), ...u32(n), ...pad, ...u32(n)];
  };
  const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
  const shb = blk(0x0a0d0d0a, [...u32(0x1a2b3c4d), 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  // Ethernet, snap length 16, if_tsresol 2^-10 (option 9, length 1, value 0x8a), end of options
  const idb = blk(1, [1, 0, 0, 0, ...u32(16), 9, 0, 1, 0, 0x8a, 0, 0, 0, 0, 0, 0, 0]);
  const frame = Array.from({ length: 20 }, (_, i) => i);
  it('a simple packet block holds at most the snap length; an obsolete packet block reads like an EPB', () => {
    const spb = blk(3, [...u32(20), ...frame]);
    // obsolete PB: interface 0 (u16), drops (u16), timestamp 1024 units = 1 s, caplen 20, len 30
    const pb = blk(2, [0, 0, 0, 0, ...u32(0), ...u32(1024), ...u32(20), ...u32(30), ...frame]);
    const c = readCapture(Uint8Array.from([...shb, ...idb, ...spb, ...pb]));
    expect(c.frames.map((f) => [f.data.length, f.origLen])).toEqual([
      [16, 20],
      [20, 30],
    ]);
    expect([...c.frames[0].data]).toEqual(frame.slice(0, 16));
    expect(c.frames[1].timestampNs).toBe(1_000_000_000n);
  });
  it('a packet block before any interface, or a file without a section header, is an error', () => {
    const spb = blk(3, [...u32(20), ...frame]);
    expect(parseCapture(Uint8Array.from([...shb, ...spb])).error?.message).toMatch(/before any interface description block/);
    // no section header: no magic number, and not text either
    expect(() => parseFrames(Uint8Array.from(idb))).toThrow(/neither a pcap\/pcapng capture \(first bytes 01000000\) nor hex text/);
  });
});
