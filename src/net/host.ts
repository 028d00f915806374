/**
 * @fileoverview Host: a network namespace (netns.ts Netns: devices, ifindexes, tcx links) with
 * the library's entry points into the datapath: load an object onto the kernel, send a frame.
 * It sits above both (docs/architecture.md): the model and the datapath never import it.
 */
import type { CollectionOptions } from '../collection.js';
import { loadObjectOnHost, sendFrame, type LoadedObject, type SendOptions } from './datapath.js';
import type { NetDevice } from './device.js';
import { Netns } from './netns.js';
import type { NetTrace } from './trace.js';

export class Host extends Netns {
  /**
   * Load an ELF object (maps shared by its programs, in the kernel's memory) and get one
   * sched_cls ProgHandle per program, with the executable bound (datapath.ts loadObjectOnHost).
   */
  loadObject(bytes: Uint8Array, opts: CollectionOptions = {}): LoadedObject {
    return loadObjectOnHost(this, bytes, opts);
  }

  /** Run one frame through `dev` (`dir` ingress: arriving; egress: sent) and get its trace. */
  send(dev: NetDevice | string, frame: Uint8Array, opts: SendOptions = {}): NetTrace {
    return sendFrame(this, dev, frame, opts);
  }

  /** `send` with dir ingress: the frame arrives on `dev`. */
  receive(dev: NetDevice | string, frame: Uint8Array, opts: Omit<SendOptions, 'dir'> = {}): NetTrace {
    return sendFrame(this, dev, frame, { ...opts, dir: 'ingress' });
  }
}
