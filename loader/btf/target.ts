/**
 * @fileoverview The built-in target BTF for CO-RE: the kernel types tc programs touch
 * (`struct __sk_buff`, packet headers, `bpf_sock*`, `bpf_tunnel_key`, `bpf_fib_lookup`,
 * `enum tcx_action_base`...) with the exact Linux 6.18 layouts.
 *
 * The bytes (target-data.ts) are generated, not hand-written: test/goldens/btf/gen-target.ts
 * extracts the closure of those types from /sys/kernel/btf/vmlinux of a 6.18 machine. Type
 * ids differ from vmlinux's, so BPF_CORE_TYPE_ID_TARGET yields ids of this blob. Pass a real
 * vmlinux BTF (`--btf FILE`) to relocate against another kernel.
 */
import { parseBtf, type Btf } from './parse.js';
import { TARGET_BTF_BASE64 } from './target-data.js';

let cached: Btf | undefined;

/** Raw bytes of the built-in target BTF. */
export function builtinTargetBtfBytes(): Uint8Array {
  return new Uint8Array(Buffer.from(TARGET_BTF_BASE64, 'base64'));
}

/** The built-in target BTF, parsed once. */
export function builtinTargetBtf(): Btf {
  cached ??= parseBtf(builtinTargetBtfBytes(), { section: 'builtin target BTF' });
  return cached;
}
