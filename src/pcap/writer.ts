/**
 * @fileoverview A pcapng writer (little-endian, one section): a Section Header Block, one
 * Interface Description Block per interface added (if_name, if_description, if_tsresol = ns),
 * and one Enhanced Packet Block per packet with opt_comment options (shown by Wireshark and
 * `tshark -V` as packet comments), epb_flags (direction) and optional custom string options
 * (opt_custom 2988: a Private Enterprise Number, then UTF-8 text).
 */
import { PacketError } from '../../vm/errors.js';
import { LINKTYPE } from './linktype.js';

export interface InterfaceOptions {
  name: string;
  description?: string;
  /** LINKTYPE_* (default Ethernet). */
  linkType?: number;
  /** Snap length (default 0: no limit). */
  snaplen?: number;
}

export interface PacketOptions {
  /** Nanoseconds since the epoch (default: 1 µs after the previous packet). */
  timestampNs?: bigint;
  /** Original length (default: the data length). */
  origLen?: number;
  /** One opt_comment per string. */
  comments?: string[];
  /** epb_flags direction: inbound or outbound. */
  direction?: 'inbound' | 'outbound';
  /** opt_custom (2988) string options. */
  custom?: { pen: number; text: string }[];
}

const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;
const OPT_CUSTOM_STR = 2988;
/** Options carry a 16-bit length. */
const MAX_OPTION = 0xffff;

const enc = new TextEncoder();

class Buf {
  private parts: Uint8Array[] = [];
  size = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    this.push(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.push(b);
  }
  pad(): void {
    if (this.size % 4) this.push(new Uint8Array(4 - (this.size % 4)));
  }
  option(code: number, value: Uint8Array): void {
    if (value.length > MAX_OPTION) value = value.subarray(0, MAX_OPTION);
    this.u16(code);
    this.u16(value.length);
    this.push(value);
    this.pad();
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function block(type: number, body: Buf): Uint8Array {
  body.pad();
  const total = 12 + body.size;
  const out = new Buf();
  out.u32(type);
  out.u32(total);
  out.push(body.bytes());
  out.u32(total);
  return out.bytes();
}

/** Ends an option list (opt_endofopt), only when there were options. */
function endOptions(b: Buf, any: boolean): void {
  if (any) b.u32(0);
}

/** Builds a pcapng file in memory. */
export class PcapngWriter {
  private readonly blocks: Uint8Array[] = [];
  private readonly ifaces: InterfaceOptions[] = [];
  private lastTs = 0n;
  private packets = 0;

  constructor(opts: { application?: string } = {}) {
    const b = new Buf();
    b.u32(0x1a2b3c4d); // byte-order magic
    b.u16(1); // major
    b.u16(0); // minor
    b.u32(0xffffffff); // section length unknown (-1)
    b.u32(0xffffffff);
    b.option(SHB_USERAPPL, enc.encode(opts.application ?? 'tcxlab'));
    endOptions(b, true);
    this.blocks.push(block(0x0a0d0d0a, b));
  }

  /** Add an interface; returns its id. */
  addInterface(o: InterfaceOptions): number {
    const b = new Buf();
    b.u16(o.linkType ?? LINKTYPE.ETHERNET);
    b.u16(0);
    b.u32(o.snaplen ?? 0);
    b.option(IF_NAME, enc.encode(o.name));
    if (o.description !== undefined) b.option(IF_DESCRIPTION, enc.encode(o.description));
    b.option(IF_TSRESOL, Uint8Array.of(9));
    endOptions(b, true);
    this.blocks.push(block(1, b));
    this.ifaces.push(o);
    return this.ifaces.length - 1;
  }

  get interfaceCount(): number {
    return this.ifaces.length;
  }

  get packetCount(): number {
    return this.packets;
  }

  addPacket(ifId: number, data: Uint8Array, o: PacketOptions = {}): void {
    if (!Number.isInteger(ifId) || ifId < 0 || ifId >= this.ifaces.length) throw new PacketError(`pcapng: no interface ${ifId}`);
    const ts = o.timestampNs ?? this.lastTs + 1000n;
    this.lastTs = ts;
    const b = new Buf();
    b.u32(ifId);
    b.u32(Number((ts >> 32n) & 0xffffffffn));
    b.u32(Number(ts & 0xffffffffn));
    b.u32(data.length);
    b.u32(Math.max(o.origLen ?? data.length, data.length));
    b.push(data);
    b.pad();
    let any = false;
    for (const c of o.comments ?? []) {
      b.option(OPT_COMMENT, enc.encode(c));
      any = true;
    }
    if (o.direction) {
      const f = new Uint8Array(4);
      new DataView(f.buffer).setUint32(0, o.direction === 'inbound' ? 1 : 2, true);
      b.option(EPB_FLAGS, f);
      any = true;
    }
    for (const c of o.custom ?? []) {
      const t = enc.encode(c.text);
      const v = new Uint8Array(4 + t.length);
      new DataView(v.buffer).setUint32(0, c.pen >>> 0, true);
      v.set(t, 4);
      b.option(OPT_CUSTOM_STR, v);
      any = true;
    }
    endOptions(b, any);
    this.blocks.push(block(6, b));
    this.packets++;
  }

  /** The file so far. */
  bytes(): Uint8Array {
    const n = this.blocks.reduce((s, x) => s + x.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const x of this.blocks) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  }
}
