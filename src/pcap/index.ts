/**
 * @fileoverview pcap / pcapng reading (both byte orders, Ethernet, Linux SLL/SLL2, raw IP) and
 * pcapng writing, and the frame input every command shares (a capture or hex text).
 */
export { parseCapture, readCapture, parsePcap, parsePcapng, captureFormat, DEFAULT_MAX_FRAMES, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_FILE_BYTES } from './reader.js';
export type { Capture, CapturedFrame, CaptureInterface, ReadLimits } from './reader.js';
export { LINKTYPE, linkTypeName, toEthernet } from './linktype.js';
export { PcapngWriter } from './writer.js';
export type { InterfaceOptions, PacketOptions } from './writer.js';
export { parseFrames, parseHexFrames } from './input.js';
export type { FrameInput, InputFrame } from './input.js';
export { HookCapture } from './hook-capture.js';
