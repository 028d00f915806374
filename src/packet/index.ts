/**
 * @fileoverview Packet builders (with correct checksums) and a dissector naming fields as
 * Wireshark does, for tests of tc programs.
 */
export * from './build.js';
export { dissect, field, formatDissection, formatAddr, formatMac } from './dissect.js';
export type { Dissection, DissectedLayer, FieldValue } from './dissect.js';
export { inetChecksum, pseudoSum, sum16, fold } from './checksum.js';
