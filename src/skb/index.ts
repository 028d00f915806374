/**
 * @fileoverview The skb runtime: the sk_buff model, the `__sk_buff` view, BPF_PROG_TEST_RUN skb
 * construction and the run state the skb helpers work on.
 */
export * from './csum.js';
export * from './skb.js';
export * from './run-state.js';
export * from './sk-buff-ctx.js';
export * from './sock-ctx.js';
export * from './test-run.js';
export * from './ld-abs.js';
