# a kfunc call: bpf_rcu_read_lock, BTF id 65481 in this kernel build (6.18.44-fc-v669)
raw 0x85200000c9ff0000
mov %r0, 0
exit
