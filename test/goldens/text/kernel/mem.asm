# loads, stores, sign-extending loads and atomics on the stack
mov %r1, 7
stdw [%r10-8], 0
stw [%r10-16], -1
sth [%r10-18], 0x1234
stb [%r10-19], 5
stdw [%r10-32], 0
stdw [%r10-24], 0
stxdw [%r10-32], %r1
stxw [%r10-24], %r1
stxh [%r10-20], %r1
stxb [%r10-17], %r1
ldxdw %r2, [%r10-32]
ldxw %r3, [%r10-24]
ldxh %r4, [%r10-20]
ldxb %r5, [%r10-17]
ldxsw %r2, [%r10-24]
ldxsh %r3, [%r10-20]
ldxsb %r4, [%r10-17]
lock add [%r10-32], %r1
lock or [%r10-32], %r1
lock and [%r10-32], %r1
lock xor [%r10-32], %r1
lock add32 [%r10-24], %r1
lock or32 [%r10-24], %r1
lock and32 [%r10-24], %r1
lock xor32 [%r10-24], %r1
lock fetch add [%r10-32], %r1
lock fetch or [%r10-32], %r1
lock fetch and [%r10-32], %r1
lock fetch xor [%r10-32], %r1
lock fetch add32 [%r10-24], %r1
lock fetch or32 [%r10-24], %r1
lock fetch and32 [%r10-24], %r1
lock fetch xor32 [%r10-24], %r1
lock xchg [%r10-32], %r1
lock xchg32 [%r10-24], %r1
mov %r0, 0
lock cmpxchg [%r10-32], %r1
lock cmpxchg32 [%r10-24], %r1
load_acqdw %r2, [%r10-32]
load_acqw %r2, [%r10-24]
load_acqh %r2, [%r10-20]
load_acqb %r2, [%r10-17]
store_reldw [%r10-32], %r1
store_relw [%r10-24], %r1
store_relh [%r10-20], %r1
store_relb [%r10-17], %r1
lddw %r0, 0x1122334455667788
lddw %r0, -1
mov %r0, 0
exit
