// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: iproute2 struct bpf_elf_map maps (prog array id 2, map-in-map via inner_id/inner_idx)
 * and "ID/KEY" sections pre-filling prog array 2; the entry section "ingress" needs programType. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct bpf_elf_map { __u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx; };
struct bpf_elf_map SEC("maps") jmp_tc = { .type = BPF_MAP_TYPE_PROG_ARRAY, .size_key = 4, .size_value = 4, .id = 2, .max_elem = 4, .pinning = 2 };
struct bpf_elf_map SEC("maps") inner = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4, .id = 7, .inner_idx = 1, .max_elem = 1 };
struct bpf_elf_map SEC("maps") outer = { .type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .size_key = 4, .size_value = 4, .inner_id = 7, .max_elem = 3 };
static long (*tail)(void *, void *, __u32) = (void *)12;
SEC("2/0") int slot0(struct __sk_buff *skb) { return 1; }
SEC("2/3") int slot3(struct __sk_buff *skb) { return 2; }
SEC("ingress") int entry(struct __sk_buff *skb) { tail(skb, &jmp_tc, 0); return 0; }
char _license[] SEC("license") = "GPL";
