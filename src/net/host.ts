/**
 * @fileoverview Host: a network namespace (netns.ts Netns: devices, ifindexes, tcx links) with
 * the library's entry points into the datapath: load an object onto the kernel, send a frame.
 * It sits above both (docs/architecture.md): the model and the datapath never import it.
 */
import type { CollectionOptions } from '../collection.js';
import { SeededRandom } from '../helpers/base.js';
import { timerHost } from '../helpers/timer.js';
import { resolveMockEnv, type MockEnv, type ResolvedMockEnv } from '../mock-env.js';
import { loadObjectOnHost, sendFrame, type LoadedObject, type SendOptions } from './datapath.js';
import type { NetDevice } from './device.js';
import { Netns, type HostOptions as NetnsOptions } from './netns.js';
import type { NetTrace } from './trace.js';

export interface HostOptions extends NetnsOptions {
  /**
   * The world the programs see (src/mock-env.ts, the `--env` JSON format; README "Mocks"):
   * `time_ns`/`time_step_ns` set the kernel's clock when this host makes its kernel (a host
   * given an existing `kernel` keeps that clock); `seed` gives the host one bpf_get_prandom_u32
   * sequence across its sends; routes, neighbours and sockets answer bpf_fib_lookup and the
   * socket lookups of every send; `helpers` override helpers of the objects it loads.
   */
  mock?: MockEnv;
}

export class Host extends Netns {
  /** HostOptions.mock, checked. */
  readonly mock?: ResolvedMockEnv;
  private readonly helperMocks?: MockEnv['helpers'];
  private readonly random?: SeededRandom;

  constructor(opts: HostOptions = {}) {
    super(opts);
    if (opts.mock === undefined) return;
    this.mock = resolveMockEnv(opts.mock);
    this.helperMocks = opts.mock.helpers;
    if (this.mock.seed !== undefined) this.random = new SeededRandom(this.mock.seed);
    if (opts.kernel === undefined) {
      const clock = timerHost(this.kernel.memory).clock;
      if (this.mock.timeNs !== undefined) clock.monoNs = this.mock.timeNs;
      if (this.mock.timeStepNs !== undefined) clock.stepNs = this.mock.timeStepNs;
    }
  }

  /**
   * Load an ELF object (maps shared by its programs, in the kernel's memory) and get one
   * sched_cls ProgHandle per program, with the executable bound (datapath.ts loadObjectOnHost).
   */
  loadObject(bytes: Uint8Array, opts: CollectionOptions = {}): LoadedObject {
    // the host's helper overrides only: its clock is the kernel's, set once (see HostOptions.mock)
    const mock = opts.mock ?? (this.helperMocks !== undefined ? { helpers: this.helperMocks } : undefined);
    return loadObjectOnHost(this, bytes, { ...opts, mock });
  }

  /** Run one frame through `dev` (`dir` ingress: arriving; egress: sent) and get its trace. */
  send(dev: NetDevice | string, frame: Uint8Array, opts: SendOptions = {}): NetTrace {
    return sendFrame(this, dev, frame, this.withMock(opts));
  }

  /** `send` with dir ingress: the frame arrives on `dev`. */
  receive(dev: NetDevice | string, frame: Uint8Array, opts: Omit<SendOptions, 'dir'> = {}): NetTrace {
    return sendFrame(this, dev, frame, this.withMock({ ...opts, dir: 'ingress' }));
  }

  private withMock(opts: SendOptions): SendOptions {
    return this.mock ? { mock: this.mock, random: this.random, ...opts } : opts;
  }
}
