/**
 * @fileoverview Live kernel parity (`tcxlab run --kernel`, `compare --kernel`): run the same object
 * and frames through the real kernel's BPF_PROG_TEST_RUN (./bpftool.ts) and list what differs from
 * tcxlab's answer (./diff.ts, pure). docs/kernel-parity.md.
 */
export * from './diff.js';
export { BPFFS, execTool, kernelUnavailable, loadFailure, processKernelHost, runInKernel, type Exec, type KernelHost, type KernelRunOptions, type KernelSet } from './bpftool.js';
export { kernelParityJob, kernelRefusal, kernelSets, kernelTools, KERNEL_UNAVAILABLE_EXIT, type ParityJobOptions } from './job.js';
