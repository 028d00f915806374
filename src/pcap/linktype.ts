/**
 * @fileoverview Link-layer types of captures of tc traffic, and turning their frames into the
 * Ethernet frames a tc program sees (docs/pcap.md says what the kernel's skb holds at tc).
 *
 * A tc program on an Ethernet device (veth, dummy, a NIC) gets skb->data at the Ethernet header
 * at both hooks (ingress pushes the header eth_type_trans pulled back before running the
 * programs, see sch_handle_ingress / tcx_run). The emulated devices are Ethernet devices, so
 * every frame is given to them as an Ethernet frame:
 *
 * - LINKTYPE_ETHERNET: as captured (a frame shorter than 14 bytes too: the test run refuses it
 *   with EINVAL as the kernel does, as with hex input).
 * - LINKTYPE_LINUX_SLL / LINUX_SLL2 (`tcpdump -i any`): the cooked header keeps the protocol
 *   (the EtherType) and the *source* link address; the destination is rebuilt from the packet
 *   type (broadcast ff:ff:ff:ff:ff:ff, IPv4/IPv6 multicast from the IP destination, others
 *   00:00:00:00:00:00), the source from the sll address when it is 6 bytes long. Protocols
 *   below 0x0600 (ETH_P_802_2, ETH_P_802_3: LLC frames) become an 802.3 length field.
 * - LINKTYPE_RAW / IPV4 / IPV6 (tun devices, `tcpdump -i tun0`): there was no link header; one
 *   is synthesised with zero MAC addresses and the EtherType of the IP version nibble.
 */
import { PcapError } from '../../vm/errors.js';
import { ETH_HLEN, PACKET } from '../uapi.js';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) this reader takes. */
export const LINKTYPE = {
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  [LINKTYPE.ETHERNET]: 'Ethernet',
  [LINKTYPE.RAW]: 'raw IP',
  [LINKTYPE.LINUX_SLL]: 'Linux SLL',
  [LINKTYPE.IPV4]: 'raw IPv4',
  [LINKTYPE.IPV6]: 'raw IPv6',
  [LINKTYPE.LINUX_SLL2]: 'Linux SLL2',
};

export function linkTypeName(t: number): string {
  return NAMES[t] ?? `link type ${t}`;
}

export function isSupportedLinkType(t: number): boolean {
  return NAMES[t] !== undefined;
}

/** ARPHRD_NETLINK: nlmon captures; not network packets. */
const ARPHRD_NETLINK = 824;
const SLL_HLEN = 16;
const SLL2_HLEN = 20;

/** Where a frame came from, for error messages. */
export interface FrameOrigin {
  /** Byte offset of the frame's data in the file. */
  offset: number;
  /** 1-based frame number. */
  frame: number;
}

function ethernet(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ETH_HLEN + payload.length);
  out.set(dst.subarray(0, 6), 0);
  out.set(src.subarray(0, 6), 6);
  out[12] = type >> 8;
  out[13] = type & 0xff;
  out.set(payload, ETH_HLEN);
  return out;
}

/** The destination MAC a multicast IP packet had (ip_eth_mc_map / ipv6_eth_mc_map). */
function multicastMac(type: number, payload: Uint8Array): Uint8Array {
  if (type === 0x0800 && payload.length >= 20) return Uint8Array.of(0x01, 0x00, 0x5e, payload[17] & 0x7f, payload[18], payload[19]);
  if (type === 0x86dd && payload.length >= 40) return Uint8Array.of(0x33, 0x33, payload[36], payload[37], payload[38], payload[39]);
  return Uint8Array.of(0x01, 0, 0, 0, 0, 0);
}

function fromCooked(pktType: number, arphrd: number, halen: number, addr: Uint8Array, proto: number, payload: Uint8Array, at: FrameOrigin): Uint8Array {
  if (arphrd === ARPHRD_NETLINK) throw new PcapError(`frame ${at.frame}: a netlink (nlmon) message, not a network packet`, at.offset, at.frame);
  const dst = pktType === PACKET.PACKET_BROADCAST ? new Uint8Array(6).fill(0xff) : pktType === PACKET.PACKET_MULTICAST ? multicastMac(proto, payload) : new Uint8Array(6);
  const src = halen === 6 ? addr.subarray(0, 6) : new Uint8Array(6);
  // ETH_P_802_3 / ETH_P_802_2 (and the other pseudo-protocols below 0x0600): an 802.3 frame whose
  // type field was a length
  const type = proto >= 0x0600 ? proto : Math.min(payload.length, 0x05ff);
  return ethernet(dst, src, type, payload);
}

/**
 * The Ethernet frame a tc program on an emulated Ethernet device gets for one captured frame.
 * Throws PcapError (at `at.offset`) when the frame is too short for its link header or is not
 * a network packet.
 */
export function toEthernet(linkType: number, data: Uint8Array, at: FrameOrigin): Uint8Array {
  const short = (what: string, n: number): PcapError =>
    new PcapError(`frame ${at.frame}: ${data.length} bytes, shorter than a ${what} header (${n})`, at.offset, at.frame);
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      // as captured, even when shorter than a header: the run refuses it as the kernel does (EINVAL)
      return data;
    case LINKTYPE.LINUX_SLL: {
      if (data.length < SLL_HLEN) throw short('Linux SLL', SLL_HLEN);
      const pktType = (data[0] << 8) | data[1];
      const arphrd = (data[2] << 8) | data[3];
      const halen = (data[4] << 8) | data[5];
      const proto = (data[14] << 8) | data[15];
      return fromCooked(pktType, arphrd, halen, data.subarray(6, 14), proto, data.subarray(SLL_HLEN), at);
    }
    case LINKTYPE.LINUX_SLL2: {
      if (data.length < SLL2_HLEN) throw short('Linux SLL2', SLL2_HLEN);
      const proto = (data[0] << 8) | data[1];
      const arphrd = (data[8] << 8) | data[9];
      return fromCooked(data[10], arphrd, data[11], data.subarray(12, 20), proto, data.subarray(SLL2_HLEN), at);
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6: {
      if (data.length < 1) throw short('raw IP', 1);
      const v = data[0] >> 4;
      if (v !== 4 && v !== 6) throw new PcapError(`frame ${at.frame}: raw IP frame with IP version ${v}`, at.offset, at.frame);
      return ethernet(new Uint8Array(6), new Uint8Array(6), v === 4 ? 0x0800 : 0x86dd, data);
    }
    default:
      throw new PcapError(`${linkTypeName(linkType)} is not supported (Ethernet, Linux SLL, SLL2, raw IP)`, at.offset, at.frame);
  }
}
