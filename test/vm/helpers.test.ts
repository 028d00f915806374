import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BPF_FUNC_MAX_ID, HELPERS, HELPER_IDS, HELPER_PROTOS, helperCallableFrom, helperId, helperName } from '../../vm/helpers.js';
import { BPF_MAP_TYPE } from '../../vm/uapi.js';

// The golden is the running 6.18 kernel's `enum bpf_func_id`, dumped from vmlinux BTF by bpftool
// (command in the file's header).
const golden = readFileSync(new URL('../goldens/text/bpf_func_id.vmlinux.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => /^(__)?BPF_FUNC_(\w+) = (\d+),/.exec(l))
  .filter((m): m is RegExpExecArray => m !== null);

describe('[vm/helpers]: kernel numbering', () => {
  it('has one record per BPF_FUNC_* of the kernel, in id order, and __BPF_FUNC_MAX_ID', () => {
    const ids = golden.filter((m) => !m[1]);
    expect(ids.length).toBe(212);
    for (const m of ids) {
      expect(HELPER_IDS[`bpf_${m[2]}` as keyof typeof HELPER_IDS]).toBe(Number(m[3]));
      expect(HELPERS[Number(m[3])].name).toBe(`bpf_${m[2]}`);
    }
    expect(Object.keys(HELPER_IDS).length).toBe(ids.length);
    expect(HELPERS.length).toBe(ids.length);
    HELPERS.forEach((h, i) => expect(h.id).toBe(i));
    const max = golden.find((m) => m[1] && m[2] === 'MAX_ID');
    expect(BPF_FUNC_MAX_ID).toBe(Number(max![3]));
  });

  it('maps ids to names and back', () => {
    expect(helperName(1)).toBe('bpf_map_lookup_elem');
    expect(helperName(211)).toBe('bpf_cgrp_storage_delete');
    expect(helperName(212)).toBeUndefined();
    expect(helperName(-1)).toBeUndefined();
    expect(helperName(1.5)).toBeUndefined();
    expect(helperId('bpf_redirect')).toBe(23);
    expect(helperId('redirect')).toBe(23);
    expect(helperId('BPF_FUNC_tail_call')).toBe(12);
    expect(helperId('toString')).toBeUndefined();
    expect(helperId('bpf_nope')).toBeUndefined();
  });
});

describe('[vm/helpers]: prototypes', () => {
  it('belong to their record', () => {
    for (const h of HELPERS) {
      if (h.proto === undefined) continue;
      expect([h.proto.id, h.proto.name]).toEqual([h.id, h.name]);
      expect(HELPER_PROTOS.get(h.id)).toBe(h.proto);
    }
  });

  it('parse the flags and map types of the declarations', () => {
    const p = (n: keyof typeof HELPER_IDS) => HELPER_PROTOS.get(HELPER_IDS[n])!;
    expect(p('bpf_map_lookup_elem')).toMatchObject({ args: ['map', 'key'], ret: 'value?', pktAccess: true, gplOnly: false, changesPktData: false });
    expect(p('bpf_tail_call').mapTypes).toEqual([BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY]);
    expect(p('bpf_skb_store_bytes').changesPktData).toBe(true);
    expect(p('bpf_trace_printk').gplOnly).toBe(true);
    expect(p('bpf_sk_lookup_tcp').acquires).toBe(true);
    expect(p('bpf_tcp_sock').ptrCast).toBe(true);
    expect(p('bpf_get_listener_sock').ptrCast).toBe(false);
    expect(HELPER_PROTOS.has(HELPER_IDS.bpf_probe_read)).toBe(false);
  });

  // bpf_helper_changes_pkt_data (net/core/filter.c) as of 6.12, for the helpers a tc program may call
  it('changes packet data exactly for the kernel’s list', () => {
    const changing = [...HELPER_PROTOS.values()].filter((p) => p.changesPktData).map((p) => p.name).sort();
    expect(changing).toEqual(
      [
        'bpf_clone_redirect', 'bpf_l3_csum_replace', 'bpf_l4_csum_replace', 'bpf_skb_adjust_room', 'bpf_skb_change_head',
        'bpf_skb_change_proto', 'bpf_skb_change_tail', 'bpf_skb_pull_data', 'bpf_skb_store_bytes', 'bpf_skb_vlan_pop',
        'bpf_skb_vlan_push', 'bpf_tail_call',
      ].sort(),
    );
  });

  it('say which program types may call a helper', () => {
    expect(helperCallableFrom(HELPER_IDS.bpf_redirect, 'sched_cls')).toBe(true);
    expect(helperCallableFrom(HELPER_IDS.bpf_redirect, 'socket_filter')).toBe(false);
    expect(helperCallableFrom(HELPER_IDS.bpf_redirect, 'lwt_xmit')).toBe(true);
    expect(helperCallableFrom(HELPER_IDS.bpf_map_lookup_elem, 'socket_filter')).toBe(true);
    expect(helperCallableFrom(HELPER_IDS.bpf_xdp_adjust_head, 'sched_cls')).toBe(false);
    expect(helperCallableFrom(BPF_FUNC_MAX_ID, 'sched_cls')).toBe(false);
  });
});
