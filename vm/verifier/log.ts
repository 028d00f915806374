/**
 * @fileoverview Register and state text in the kernel verifier log's notation (print_verifier_state,
 * print_reg_state, print_scalar_ranges): `R0=0`, `R1=ctx()`, `R2=pkt(off=14,r=14)`, `R10=fp0`,
 * `scalar(smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))`.
 */
import { RT, Reg, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from './reg.js';
import { Slot, isInvalidSlot, type Frame, type State } from './state.js';
import { tIsConst, tIsUnknown, tStr } from './tnum.js';

/** reg_type_str: the kernel's name of a register type. */
export function typeName(r: Reg): string {
  let base: string;
  switch (r.t) {
    case RT.NOT_INIT: return '?';
    case RT.SCALAR: return 'scalar';
    case RT.CTX: base = 'ctx'; break;
    case RT.STACK: base = 'fp'; break;
    case RT.PKT: base = 'pkt'; break;
    case RT.PKT_META: base = 'pkt_meta'; break;
    case RT.PKT_END: base = 'pkt_end'; break;
    case RT.MAP_PTR: base = 'map_ptr'; break;
    case RT.MAP_VALUE: base = 'map_value'; break;
    case RT.MAP_KEY: base = 'map_key'; break;
    case RT.SOCKET: base = 'sock'; break;
    case RT.SOCK_COMMON: base = 'sock_common'; break;
    case RT.TCP_SOCK: base = 'tcp_sock'; break;
    case RT.MEM: base = r.ringbuf ? 'ringbuf_mem' : 'mem'; break;
    case RT.BTF_ID: base = 'ptr_'; break;
    case RT.FUNC: base = 'func'; break;
    case RT.CONST_STR: base = 'map_value'; break;
  }
  if (r.rdonly && r.t === RT.MEM) base = 'rdonly_' + base;
  // reg_type_str: a BTF pointer reads "ptr_or_null_", the others "<type>_or_null"
  if (r.nullable) return r.t === RT.BTF_ID ? 'ptr_or_null_' : `${base}_or_null`;
  return base;
}

const snum = (v: bigint): string => (v >= -512n && v <= 512n ? v.toString() : v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
const unum = (v: bigint): string => (v <= 512n ? v.toString() : `0x${v.toString(16)}`);

/** print_scalar_ranges: non-default bounds, equal values grouped (`smax=umax=7`). */
function ranges(r: Reg, out: string[]): void {
  const items: [string, bigint, boolean, boolean][] = [
    ['smin', r.smin, r.smin !== S64_MIN, true],
    ['smax', r.smax, r.smax !== S64_MAX, true],
    ['umin', r.umin, r.umin !== 0n, false],
    ['umax', r.umax, r.umax !== U64_MAX, false],
    ['smin32', BigInt(r.s32min), r.s32min !== S32_MIN, true],
    ['smax32', BigInt(r.s32max), r.s32max !== S32_MAX, true],
    ['umin32', BigInt(r.u32min), r.u32min !== 0, false],
    ['umax32', BigInt(r.u32max), r.u32max !== U32_MAX, false],
  ];
  const done = items.map((x) => !x[2]);
  for (let i = 0; i < items.length; i++) {
    if (done[i]) continue;
    let s = items[i][0];
    for (let j = i + 1; j < items.length; j++) {
      if (!done[j] && BigInt.asUintN(64, items[j][1]) === BigInt.asUintN(64, items[i][1])) {
        s += `=${items[j][0]}`;
        done[j] = true;
      }
    }
    done[i] = true;
    s += `=${items[i][3] ? snum(items[i][1]) : unum(BigInt.asUintN(64, items[i][1]))}`;
    out.push(s);
  }
}

/** One register as the kernel prints it after `R<n>=`. */
export function regStr(r: Reg, maps?: (i: number) => { keySize: number; valueSize: number; name?: string } | undefined): string {
  if (r.t === RT.NOT_INIT) return '?';
  if (r.t === RT.SCALAR && tIsConst(r.v)) return snum(BigInt.asIntN(64, r.v.v));
  if (r.t === RT.STACK && tIsConst(r.v) && r.v.v === 0n) return `fp${r.off}`;
  const parts: string[] = [];
  if (r.id) parts.push(r.addConst ? `id=${r.id}${r.delta >= 0 ? '+' : ''}${r.delta}` : `id=${r.id}`);
  if (r.ref) parts.push(`ref_obj_id=${r.ref}`);
  if (r.t !== RT.SCALAR && r.off) parts.push(`off=${r.off}`);
  // the markers for at / beyond pkt_end (-1, -2) print as the kernel prints them, unsigned
  if (r.t === RT.PKT || r.t === RT.PKT_META) parts.push(r.range < 0 ? `r=0x${BigInt.asUintN(64, BigInt(r.range)).toString(16)}` : `r=${r.range}`);
  if (r.t === RT.MAP_PTR || r.t === RT.MAP_VALUE || r.t === RT.MAP_KEY) {
    const m = maps?.(r.map);
    if (m) parts.push(`map=${m.name ?? ''},ks=${m.keySize},vs=${m.valueSize}`);
  }
  if (r.t === RT.MEM) parts.push(`sz=${r.size}`);
  if (r.t === RT.SCALAR || !tIsConst(r.v)) {
    ranges(r, parts);
    if (!tIsUnknown(r.v) && !tIsConst(r.v)) parts.push(`var_off=${tStr(r.v)}`);
  }
  return `${typeName(r)}(${parts.join(',')})`;
}

const SLOT_CH = ['?', 'r', 'm', '0'];

/** print_verifier_state for one frame: initialised registers, then non-invalid stack slots. */
export function frameStr(f: Frame, maps?: Parameters<typeof regStr>[1], only?: ReadonlySet<number>): string {
  const out: string[] = [];
  for (let i = 0; i < 11; i++) {
    if (only && !only.has(i)) continue;
    const r = f.regs[i];
    if (r.t === RT.NOT_INIT) continue;
    out.push(`R${i}=${regStr(r, maps)}`);
  }
  if (!only) {
    for (let k = 63; k >= 0; k--) {
      const off = -(64 - k) * 8;
      const base = k * 8;
      if (isInvalidSlot(f.slots, k)) continue;
      const sp = f.spilled[k];
      if (f.byte(base) === Slot.SPILL && sp) out.push(`fp${off}=${regStr(sp, maps)}`);
      else {
        let s = '';
        for (let b = 7; b >= 0; b--) s += SLOT_CH[f.byte(base + b)];
        out.push(`fp${off}=${s}`);
      }
    }
  }
  return out.join(' ');
}

export function stateStr(st: State, maps?: Parameters<typeof regStr>[1]): string {
  const parts: string[] = [];
  st.frames.forEach((f, k) => {
    const s = frameStr(f, maps);
    parts.push(st.frames.length > 1 ? `frame${k}: ${s}` : s);
  });
  return parts.join(' ');
}

/**
 * Column of the `;` after an instruction (vlog_alignment): the printed instruction with its
 * newline is padded to a multiple of 40, less one.
 */
export function padInsn(text: string): string {
  const pos = text.length + 1;
  const target = Math.ceil(Math.max(pos, 8) / 40) * 40;
  return text + ' '.repeat(Math.max(1, target - pos - 1));
}
