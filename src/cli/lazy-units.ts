/**
 * @fileoverview The CLI bundle's lazy units: modules that some command may need but most runs do
 * not (a one-frame `tcxlab run` needs none of them). tsup.config.ts builds this file as
 * `dist/cli/lazy-units.cjs` and gives every import of one of these modules in the CLI bundle a
 * stand-in that requires it on first use (sources and their synchronous APIs unchanged). The
 * library build does not use this file.
 *
 * A unit must not be touched while its importers load (no `class X extends` one of its classes,
 * no table of its functions built at load), or the stand-in loads it at once:
 * test/package/cli-cold.cjs checks that a cold one-frame run loads none of them.
 */
// The JIT: `--engine jit`, or `auto` for 256 runs or more (vm/engine-choice.ts).
export * as jit from '../../vm/jit/index.js';
// Instruction text, with the assembler it reads: verifier logs and messages, `disasm`, traces.
export * as disasm from '../../vm/disasm.js';
// CO-RE relocations (.BTF.ext core_relo records) and BTF map definitions (.maps).
export * as btfCore from '../../loader/btf/core.js';
export * as btfMaps from '../../loader/btf/maps.js';
// Typed (BTF) map keys and values, and `--var` values.
export * as btfValue from '../btf-value.js';
// `--env` / `--mock-time` / `--seed`: the mocked world of a run.
export * as mockEnv from '../mock-env.js';
// skb->hash (bpf_get_hash_recalc, bpf_skb_get_hash, ...).
export * as flowHash from '../skb/flow-hash.js';
// Map types: creating maps (every type), and the classes other modules name (instanceof, new).
export * as mapsCreate from '../maps/create.js';
export * as mapsTyped from '../maps/typed.js';
export * as progArray from '../maps/prog-array.js';
export * as mapInMap from '../maps/map-in-map.js';
export * as ringbuf from '../maps/ringbuf.js';
export * as perfEventArray from '../maps/perf-event-array.js';
export * as cgroupArray from '../maps/cgroup-array.js';
export * as skStorage from '../maps/sk-storage.js';
export * as sockmap from '../maps/sockmap.js';
export * as unsupportedMap from '../maps/unsupported.js';
export * as pushPop from '../maps/push-pop.js';
