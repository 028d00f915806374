/**
 * @fileoverview The attach paths `compare` knows, apart from compare.ts so that the CLI's help
 * can name them without loading the emulated netdev. compare.ts re-exports them.
 */

/** The three ways of attaching: tcx, cls_bpf direct-action, cls_bpf non-da with a classid. */
export type ComparePath = 'tcx' | 'da' | 'nonda';
export const COMPARE_PATHS: readonly ComparePath[] = ['tcx', 'da', 'nonda'];
