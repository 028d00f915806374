import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BPF_FUNC_MAX_ID, HELPER_IDS, helperId, helperName } from '../../vm/helpers.js';

// The golden is the running 6.18 kernel's `enum bpf_func_id`, dumped from vmlinux BTF by bpftool
// (command in the file's header).
const golden = readFileSync(new URL('../goldens/text/bpf_func_id.vmlinux.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => /^(__)?BPF_FUNC_(\w+) = (\d+),/.exec(l))
  .filter((m): m is RegExpExecArray => m !== null);

describe('[vm/helper-ids]: kernel numbering', () => {
  it('matches every BPF_FUNC_* of the kernel, and __BPF_FUNC_MAX_ID', () => {
    const ids = golden.filter((m) => !m[1]);
    expect(ids.length).toBe(212);
    for (const m of ids) expect(HELPER_IDS[`bpf_${m[2]}` as keyof typeof HELPER_IDS]).toBe(Number(m[3]));
    expect(Object.keys(HELPER_IDS).length).toBe(ids.length);
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
