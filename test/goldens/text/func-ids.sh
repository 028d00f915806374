#!/bin/sh
# Records the running kernel's `enum bpf_func_id` (helper numbering) from its BTF into
# bpf_func_id.vmlinux.txt (test/vm/helpers.test.ts). Needs bpftool and /sys/kernel/btf/vmlinux.
set -eu
cd "$(dirname "$0")"
{
	echo "# enum bpf_func_id of the running kernel ($(uname -r)), from:"
	echo "#   bpftool btf dump file /sys/kernel/btf/vmlinux format c | grep -E '^\s*(__)?BPF_FUNC_'"
	bpftool btf dump file /sys/kernel/btf/vmlinux format c | grep -E '^\s*(__)?BPF_FUNC_' | sed 's/^[[:space:]]*//'
} > bpf_func_id.vmlinux.txt
