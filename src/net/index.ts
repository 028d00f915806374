/**
 * @fileoverview The emulated network: hosts (network namespaces), devices, the tcx hooks with
 * the bpf_mprog attach API, tcx links, and the raw bpf(2) layer.
 */
export { Host, type HostOptions } from './host.js';
export { Netns, IFNAMSIZ } from './netns.js';
export { NetDevice, addAddress, addNeighbour, addressesOf, parseIp4, type DeviceKind, type DeviceNamespace, type Ip4Address } from './device.js';
export { BpfKernel, BPFFS_ROOT, type BpfKernelOptions, type Pinnable } from './kernel.js';
export { progTypeName } from '../uapi.js';
export { ProgHandle, PROG_TYPE_BY_NAME, type NetProgram, type ProgHandleOptions, type ProgRegistry, type ProgTypeName } from './prog-handle.js';
export { BpfLink, type BpfLinkInfo, type LinkKernel } from './links.js';
export {
  TcxHook,
  TcxEntry,
  tcxAttachType,
  tcxDirection,
  type Anchor,
  type Direction,
  type TcxAttachOptions,
  type TcxDetachOptions,
  type TcxQueryEntry,
  type TcxQueryResult,
  type TcxDevice,
  type TcxKernel,
  type TcxLink,
} from './tcx.js';
export {
  MprogBundle,
  BPF_MPROG_MAX,
  MPROG_MAX_PROGS,
  BPF_F_ATTACH_MASK_MPROG,
  type MprogLink,
  type MprogSlot,
  type MprogQuery,
} from './mprog.js';
export {
  BpfProcess,
  type FdObject,
  type ProgAttachAttr,
  type LinkCreateAttr,
  type LinkUpdateAttr,
  type ProgQueryAttr,
  type BpfProcessOptions,
} from './syscall.js';
export { runTcxScript, type TcxScriptOptions, type TcxScriptResult } from './script.js';
export { DevTc, Qdisc, type QdiscKind, type FilterRow, type TcFilterOptions } from './qdisc.js';
export { Block, Chain, TcfProto, GACT_NAMES, TC_CHAIN_MAX, type ClsBpfFilter, type ClsBpfOptions, type ClsBpfDelete, type TcAction } from './cls-bpf.js';
export { tcfClassify, clsBpfExecOpcode, MAX_RECLASSIFY_LOOP, type ClassifyResult, type FilterRun } from './classify.js';
export {
  Datapath,
  sendFrame,
  loadObjectOnHost,
  XMIT_RECURSION_LIMIT,
  NET_XMIT_SUCCESS,
  NET_XMIT_DROP,
  NET_XMIT_CN,
  MAX_RX_ROUNDS,
  type SendOptions,
  type LoadedObject,
} from './datapath.js';
export { tcActName, tcActLabel, tcxRetName, tcxRetLabel } from '../tc-verdict.js';
export { formatNetTrace, fmtClassid, type NetTrace, type TraceEvent, type HookEvent, type RedirectEvent, type XmitEvent, type Fate, type TcxRun } from './trace.js';
export { runScenario, ScenarioRunner, ScenarioError, udpFrame, readPcap, parseClassid, type ScenarioStep, type ScenarioOptions, type ScenarioResult } from './scenario.js';
export { classicViewOf, type TcxAsClassic } from './classic-view.js';
export {
  compare,
  compareScenario,
  COMPARE_PATHS,
  COMPARE_DEVICE,
  type ComparePath,
  type CompareOptions,
  type CompareResult,
  type ScenarioCompareResult,
  type FrameComparison,
  type PathOutcome,
  type Difference,
  type CompareField,
} from './compare.js';
