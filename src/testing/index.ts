/**
 * @fileoverview For test authors: matchers for vitest and jest (`expect.extend(matchers)`) and the
 * packet diff they print. Type augmentation for vitest: `import 'tcxlab/vitest'` (src/testing/vitest.ts).
 */
export { matchers, toHaveVerdict, toEqualPacket, MAX_DIFF_LINES } from './matchers.js';
export type { TcxlabMatchers, VerdictName, VerdictCarrier, PacketCarrier, MatcherContext, MatcherResult } from './matchers.js';
export { diffPackets, PROBE_LIMIT } from './packet-diff.js';
export type { PacketDifference } from './packet-diff.js';
