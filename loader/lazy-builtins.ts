/**
 * @fileoverview node:crypto and node:zlib, loaded on first use. Importing them statically costs
 * every process that loads an object a few milliseconds of CPU (crypto alone pulls in some twenty
 * internal modules), and they serve rare paths only: maps pinned by object
 * (LIBBPF_PIN_BY_OBJECT_NS hashes the object) and the built-in CO-RE target BTF (brotli, sha256).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');
export const nodeZlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');
