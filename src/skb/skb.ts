/**
 * @fileoverview The sk_buff model: one linear buffer with headroom and tailroom, header offsets and
 * the metadata a tc program can see or change (`include/linux/skbuff.h`).
 *
 * Buffer layout (all offsets are relative to `buf[0]`, which plays the role of `skb->head`):
 *
 *   buf: | headroom ... | meta (metaLen) | data ............ len | tailroom ... |
 *        0              data-metaLen     data                    data+len       buf.length
 *
 * The skb is always linear (`data_len` = 0, no frags), as a BPF_PROG_TEST_RUN skb is. mac /
 * network / transport header offsets are head-relative, like the kernel's u16 offsets; -1 means
 * "unset" (the kernel's ~0). Ethertypes (protocol, vlan_proto) are kept in host order here; the
 * `__sk_buff` view converts them to the kernel's raw big-endian u16.
 */
import { blockAdd, blockSub, csumPartial } from './csum.js';

/** `NET_SKB_PAD` on x86-64 (max(32, L1_CACHE_BYTES)). */
export const NET_SKB_PAD = 64;
/** `NET_IP_ALIGN` on x86-64. */
export const NET_IP_ALIGN = 0;
/** `SKB_DATA_ALIGN(sizeof(struct skb_shared_info))` on x86-64. */
export const SKB_SHINFO_SIZE = 320;
/** `SKB_MAX_ALLOC` = BPF_SKB_MAX_LEN (filter.c): 16384 − 320. */
export const BPF_SKB_MAX_LEN = 16064;

/** ip_summed values (skbuff.h). */
export const CHECKSUM_NONE = 0;
export const CHECKSUM_UNNECESSARY = 1;
export const CHECKSUM_COMPLETE = 2;
export const CHECKSUM_PARTIAL = 3;
/** SKB_MAX_CSUM_LEVEL. */
export const SKB_MAX_CSUM_LEVEL = 3;

/** skb->tstamp_type (SKB_CLOCK_*). */
export const SKB_CLOCK_REALTIME = 0;
export const SKB_CLOCK_MONOTONIC = 1;
export const SKB_CLOCK_TAI = 2;

/** GSO type bits used by the helpers (SKB_GSO_*). */
export const SKB_GSO_TCPV4 = 1 << 0;
export const SKB_GSO_DODGY = 1 << 2;
export const SKB_GSO_TCPV6 = 1 << 4;
export const SKB_GSO_UDP_L4 = 1 << 16;

/**
 * The socket a test-run skb carries (`struct sock_common` fields bpf_sock exposes). tc sees one
 * only in a test run (the dummy socket of bpf_prog_test_run_skb); on the emulated netdev skb->sk
 * is NULL.
 */
export interface SkbSock {
  boundDevIf: number;
  family: number;
  /** AF_INET addresses as the 4 wire bytes; AF_INET6 as 16. */
  srcIp: Uint8Array;
  dstIp: Uint8Array;
  /** Host-order ports. */
  srcPort: number;
  dstPort: number;
  state: number;
  rxQueueMapping: number;
}

/** Options for a fresh skb (see `Skb.create`). */
export interface SkbInit {
  headroom?: number;
  tailroom?: number;
}

/** The sk_buff. Fields are public on purpose: helpers and the netdev manipulate them directly. */
export class Skb {
  /** skb->head .. skb->end. */
  buf: Uint8Array;
  /** skb->data − skb->head. */
  data: number;
  /** skb->len (= headlen: the skb is linear). */
  len: number;
  /** Metadata bytes right before data (XDP data_meta); 0 in a test run. */
  metaLen!: number;
  macHeader!: number;
  networkHeader!: number;
  transportHeader!: number;
  /** skb->mac_len (set by nothing in a test run: 0). */
  macLen!: number;
  innerMacHeader!: number;
  innerNetworkHeader!: number;
  innerTransportHeader!: number;
  innerProtocol!: number;
  encapsulation!: boolean;

  /** Ethertype, host order (0x0800 for IPv4). */
  protocol!: number;
  pktType!: number;
  /** hw-accel VLAN tag: proto (host order) and TCI. vlan_present is `vlanProto|vlanTci` ≠ 0. */
  vlanProto!: number;
  vlanTci!: number;
  mark!: number;
  priority!: number;
  hash!: number;
  swHash!: boolean;
  l4Hash!: boolean;
  /** qdisc_skb_cb(skb)->data[0..19]: __sk_buff cb[0..4]. */
  readonly cb = new Uint8Array(20);
  /** cb as five 32-bit words (clear() zeroes them). */
  private cbw = new Int32Array(this.cb.buffer);
  tcIndex!: number;
  /** qdisc_skb_cb(skb)->tc_classid (u16). */
  tcClassid!: number;
  /** qdisc_skb_cb(skb)->pkt_len: __sk_buff wire_len. */
  pktLen!: number;
  tstamp!: bigint;
  tstampType!: number;
  hwtstamp!: bigint;
  gsoSegs!: number;
  gsoSize!: number;
  gsoType!: number;
  /** skb->dev->ifindex. */
  ifindex!: number;
  /** skb->skb_iif. */
  skbIif!: number;
  queueMapping!: number;
  napiId!: number;
  ipSummed!: number;
  csum!: number;
  csumLevel!: number;
  csumStart!: number;
  csumOffset!: number;
  /** skb->tc_at_ingress: helpers take ingress branches (redirect_peer, tstamp rules). */
  tcAtIngress!: boolean;
  /** skb->sk (NULL when undefined). */
  sk!: SkbSock | null;
  /** Route realm (dst->tclassid) for get_route_realm; 0 = no dst. */
  routeRealm!: number;

  constructor(buf: Uint8Array, data: number, len: number) {
    this.buf = buf;
    this.data = data;
    this.len = len;
    this.clear();
  }

  /** Every field but buf, data and len back to its value in a fresh skb (the one list of defaults). */
  private clear(): void {
    this.metaLen = 0;
    this.macHeader = -1;
    this.networkHeader = -1;
    this.transportHeader = -1;
    this.macLen = 0;
    this.innerMacHeader = -1;
    this.innerNetworkHeader = -1;
    this.innerTransportHeader = -1;
    this.innerProtocol = 0;
    this.encapsulation = false;
    this.protocol = 0;
    this.pktType = 0;
    this.vlanProto = 0;
    this.vlanTci = 0;
    this.mark = 0;
    this.priority = 0;
    this.hash = 0;
    this.swHash = false;
    this.l4Hash = false;
    this.tcIndex = 0;
    this.tcClassid = 0;
    this.pktLen = 0;
    this.tstamp = 0n;
    this.tstampType = SKB_CLOCK_REALTIME;
    this.hwtstamp = 0n;
    this.gsoSegs = 0;
    this.gsoSize = 0;
    this.gsoType = 0;
    this.ifindex = 0;
    this.skbIif = 0;
    this.queueMapping = 0;
    this.napiId = 0;
    this.ipSummed = CHECKSUM_NONE;
    this.csum = 0;
    this.csumLevel = 0;
    this.csumStart = 0;
    this.csumOffset = 0;
    this.tcAtIngress = false;
    this.sk = null;
    this.routeRealm = 0;
    // five word stores beat a fill() call on so short an array
    const cbw = this.cbw;
    cbw[0] = 0;
    cbw[1] = 0;
    cbw[2] = 0;
    cbw[3] = 0;
    cbw[4] = 0;
  }

  /** A linear skb holding a copy of `frame`, data at the start of the frame. */
  static create(frame: Uint8Array, init: SkbInit = {}): Skb {
    const headroom = init.headroom ?? NET_SKB_PAD + NET_IP_ALIGN;
    const tailroom = init.tailroom ?? 0;
    const buf = new Uint8Array(headroom + frame.length + tailroom);
    buf.set(frame, headroom);
    return new Skb(buf, headroom, frame.length);
  }

  /**
   * Become `Skb.create(frame, init)`, reusing this skb's buffer when it has exactly the size
   * create would allocate. Only for a caller that knows nothing refers to this skb or its bytes
   * any more (the netdev's throughput mode, between sends).
   */
  recreate(frame: Uint8Array, init: SkbInit = {}): void {
    const headroom = init.headroom ?? NET_SKB_PAD + NET_IP_ALIGN;
    const n = headroom + frame.length + (init.tailroom ?? 0);
    const w = this.zw;
    if (w !== undefined && this.buf === this.zb && this.buf.length === n) {
      // The same size: the frame's bytes land where the last frame's were. Outside them the
      // buffer is still all zero unless the layout moved (every write outside [data, data+len)
      // follows a push, pull, put or trim: they set `moved`).
      if (!this.moved) {
        // nothing to zero
      } else if (w.length <= 32) {
        // Zeroing a small buffer word by word beats a fill() call; the words wholly inside the
        // frame are left to the copy below.
        for (let k = 0, e = (headroom + 7) >> 3; k < e; k++) w[k] = 0;
        for (let k = (headroom + frame.length) >> 3; k < w.length; k++) w[k] = 0;
      } else w.fill(0);
    } else {
      // over whole 8-byte words (`zw`), for the next recreate of this size
      const ab = new ArrayBuffer((n + 7) & ~7);
      this.buf = this.zb = new Uint8Array(ab, 0, n);
      this.zw = new Float64Array(ab);
    }
    this.buf.set(frame, headroom);
    this.data = headroom;
    this.len = frame.length;
    this.moved = false;
    this.clear();
  }
  /**
   * The layout changed since recreate (or create) laid the frame out: reserve, push, pull,
   * putZero or trim ran, so bytes outside the frame may be non-zero (see recreate).
   */
  private moved = false;
  /** The buffer recreate made (`zb`) and the same bytes as 8-byte words (`zw`). */
  private zb: Uint8Array | undefined = undefined;
  private zw: Float64Array | undefined = undefined;

  headroom(): number {
    return this.data - this.metaLen;
  }

  tailroom(): number {
    return this.buf.length - (this.data + this.len);
  }

  /** [data, data+len) as a view (shares the buffer; invalid after a reallocation). */
  bytes(): Uint8Array {
    return this.buf.subarray(this.data, this.data + this.len);
  }

  /** [data − metaLen, data + len): what the packet Region is bound to. */
  packetView(): Uint8Array {
    return this.buf.subarray(this.data - this.metaLen, this.data + this.len);
  }

  /**
   * bytes(), as the same view object while buf, data and len stay the same: for a caller that
   * hands out a view valid only until the skb changes (the netdev's throughput mode).
   */
  bytesView(): Uint8Array {
    const v = this.view;
    if (v !== undefined && this.viewBuf === this.buf && this.viewData === this.data && this.viewLen === this.len) return v;
    this.viewBuf = this.buf;
    this.viewData = this.data;
    this.viewLen = this.len;
    return (this.view = this.bytes());
  }
  private view: Uint8Array | undefined = undefined;
  private viewBuf: Uint8Array | undefined = undefined;
  private viewData = 0;
  private viewLen = 0;

  /** A deep copy (metadata, bytes and cb; the socket is shared, as skb_clone shares skb->sk). */
  clone(): Skb {
    const c = Object.assign(Object.create(Skb.prototype) as Skb, this);
    c.buf = this.buf.slice();
    (c as { cb: Uint8Array }).cb = this.cb.slice();
    c.cbw = new Int32Array(c.cb.buffer);
    c.zb = undefined;
    c.zw = undefined;
    c.view = undefined;
    return c;
  }

  /** A copy of the packet bytes (data_out). */
  toBytes(): Uint8Array {
    return this.bytes().slice();
  }

  /** Header offsets relative to data (`skb_network_offset` etc.). */
  macOffset(): number {
    return this.macHeader - this.data;
  }
  networkOffset(): number {
    return this.networkHeader - this.data;
  }
  transportOffset(): number {
    return this.transportHeader - this.data;
  }
  /** `skb_mac_header_len`: network − mac. */
  macHeaderLen(): number {
    return this.networkHeader - this.macHeader;
  }
  vlanPresent(): boolean {
    return (this.vlanProto | this.vlanTci) !== 0;
  }
  isGso(): boolean {
    return this.gsoSize !== 0;
  }

  /**
   * `pskb_expand_head`: make sure there is `head` bytes of headroom (before the metadata) and
   * `tail` bytes of tailroom, reallocating and shifting every header offset as the kernel does.
   */
  reserve(head: number, tail: number): void {
    const needHead = Math.max(0, head - this.headroom());
    const needTail = Math.max(0, tail - this.tailroom());
    if (needHead === 0 && needTail === 0) return;
    this.moved = true;
    // The kernel rounds the new allocation up (kmalloc buckets); growing by a pad's worth keeps
    // repeated pushes from reallocating every time.
    const addHead = needHead ? needHead + NET_SKB_PAD : 0;
    const addTail = needTail ? needTail + NET_SKB_PAD : 0;
    const nb = new Uint8Array(this.buf.length + addHead + addTail);
    nb.set(this.buf, addHead);
    this.buf = nb;
    this.data += addHead;
    for (const k of ['macHeader', 'networkHeader', 'transportHeader', 'innerMacHeader', 'innerNetworkHeader', 'innerTransportHeader'] as const) {
      if (this[k] >= 0) this[k] += addHead;
    }
  }

  /** `skb_push`: grow at the front by n (contents of the new bytes are whatever was there). */
  push(n: number): void {
    this.reserve(n, 0);
    this.moved = true;
    if (this.metaLen) this.buf.copyWithin(this.data - this.metaLen - n, this.data - this.metaLen, this.data);
    this.data -= n;
    this.len += n;
  }

  /** `__skb_pull`: drop n bytes at the front. */
  pull(n: number): void {
    this.moved = true;
    if (this.metaLen) this.buf.copyWithin(this.data - this.metaLen + n, this.data - this.metaLen, this.data);
    this.data += n;
    this.len -= n;
  }

  /** `skb_put_zero`: grow the tail by n zero bytes. */
  putZero(n: number): void {
    this.reserve(0, n);
    this.moved = true;
    this.buf.fill(0, this.data + this.len, this.data + this.len + n);
    this.len += n;
  }

  /** `__skb_trim`: cut to newLen bytes. */
  trim(newLen: number): void {
    this.moved = true;
    this.len = newLen;
  }

  /**
   * `bpf_skb_generic_push`: insert n zero bytes at data offset `off` by pushing n bytes and moving
   * the first `off` bytes to the new front. Header offsets are not touched (callers do it).
   */
  insertZeros(off: number, n: number): void {
    this.push(n);
    this.buf.copyWithin(this.data, this.data + n, this.data + n + off);
    this.buf.fill(0, this.data + off, this.data + off + n);
  }

  /**
   * `bpf_skb_generic_pop`: remove n bytes at data offset `off` (the first `off` bytes move up by n),
   * keeping skb->csum right for CHECKSUM_COMPLETE (`skb_postpull_rcsum`).
   */
  removeBytes(off: number, n: number): void {
    this.postpullRcsum(this.data + off, n);
    this.buf.copyWithin(this.data + n, this.data, this.data + off);
    this.pull(n);
  }

  /** `skb_postpull_rcsum`: bytes [start, +n) (head-relative) left the checksummed area. */
  postpullRcsum(start: number, n: number): void {
    if (this.ipSummed === CHECKSUM_COMPLETE) this.csum = blockSub(this.csum, csumPartial(this.buf.subarray(start, start + n)), 0);
  }

  /** `skb_postpush_rcsum`: bytes [start, +n) (head-relative) joined the checksummed area. */
  postpushRcsum(start: number, n: number): void {
    if (this.ipSummed === CHECKSUM_COMPLETE) this.csum = blockAdd(this.csum, csumPartial(this.buf.subarray(start, start + n)), 0);
  }

  /** `skb_clear_hash`. */
  clearHash(): void {
    this.hash = 0;
    this.swHash = false;
    this.l4Hash = false;
  }

  /** `skb_gso_reset`. */
  gsoReset(): void {
    this.gsoSize = 0;
    this.gsoSegs = 0;
    this.gsoType = 0;
  }
}
