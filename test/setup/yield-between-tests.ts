/**
 * Give the worker's event loop a turn before every test.
 *
 * vitest awaits each test, but a synchronous test only yields microtasks: the worker's RPC
 * messages to the main process (task updates, whose replies must arrive within 60 s) are
 * macrotasks. A file of many CPU-bound tests therefore starves them and the run fails with
 * `Timeout calling "onTaskUpdate"` on a busy machine even though every test passed. One
 * setImmediate per test lets those messages through between tests, so the bound is the longest
 * single test, not the longest file.
 */
import { beforeEach } from 'vitest';

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
