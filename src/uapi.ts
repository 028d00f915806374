/**
 * @fileoverview The kernel's uapi constants, for the runtime. They live in `vm/uapi.ts`, below
 * every layer (the loader needs them too and must not import from src/); this module re-exports
 * them so runtime code keeps one import path.
 */
export * from '../vm/uapi.js';
export type { ErrnoName } from '../vm/errors.js';
