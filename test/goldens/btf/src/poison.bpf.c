// CO-RE poison fixture: an unguarded read of a field the kernel does not have. libbpf replaces the
// load with `call 0xbad2310`; the kernel's verifier then refuses the program ("invalid func
// unknown#195896080"). tcxlab: the verifier-lite refuses it the same way; without verification
// the VM faults (unknown helper) when it reaches the poisoned instruction.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct __sk_buff___gone {
	__u32 no_such_field;
} __attribute__((preserve_access_index));

SEC("tc")
int poison_prog(struct __sk_buff *skb)
{
	struct __sk_buff___gone *g = (void *)skb;
	return g->no_such_field;
}

char LICENSE[] SEC("license") = "GPL";
