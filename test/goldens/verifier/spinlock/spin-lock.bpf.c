// SPDX-License-Identifier: GPL-2.0
// bpf_spin_lock on map values as Linux 6.18's verifier tracks them: a lookup that cannot return
// NULL (an array and a constant key) still gives its result an id when the value holds a lock
// (check_helper_call), so copies of the pointer lock and unlock the same lock, and pointers from
// two lookups do not. The kernel's verdict and processed count on each is recorded by
// make-spinlock.sh.
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

struct val {
	struct bpf_spin_lock l;
	int x;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct val);
} m SEC(".maps");

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_spin_lock)(struct bpf_spin_lock *lock) = (void *)93;
static long (*bpf_spin_unlock)(struct bpf_spin_lock *lock) = (void *)94;

// the asm operands, and the end of both programs: lock through r6, unlock through r7
#define OPERANDS [m] "i"(&m), [lookup] "i"(bpf_map_lookup_elem), [lock] "i"(bpf_spin_lock), \
		 [unlock] "i"(bpf_spin_unlock)
#define LOCK_R6_UNLOCK_R7 "r1 = r6; call %[lock]; r1 = r7; call %[unlock]; r0 = 0; exit;"

// r7 is a copy of r6, the same lookup's result
SEC("tc") __attribute__((naked)) int unlock_via_copy(void)
{
	asm volatile ("r1 = 0; *(u32 *)(r10 - 4) = r1; r2 = r10; r2 += -4;"
		      "r1 = %[m] ll; call %[lookup]; r6 = r0; r7 = r0;" LOCK_R6_UNLOCK_R7
		      :: OPERANDS : "memory");
}

// r7 is another lookup's result (the same element): refused
SEC("tc") __attribute__((naked)) int unlock_other_lookup(void)
{
	asm volatile ("r1 = 0; *(u32 *)(r10 - 4) = r1; r2 = r10; r2 += -4;"
		      "r1 = %[m] ll; call %[lookup]; r6 = r0;"
		      "r2 = r10; r2 += -4; r1 = %[m] ll; call %[lookup]; r7 = r0;" LOCK_R6_UNLOCK_R7
		      :: OPERANDS : "memory");
}

char _license[] SEC("license") = "GPL";
