# Path splitting and linked spills: each "== name" section is one program, loaded into the kernel
# as sched_cls by make.sh (CASES=prune-cases.asm OUT=prune-cases.kernel.json).
== ok_fork_arsh_and
call 7
mov32 %r2, %r0
arsh32 %r2, 31
and32 %r2, -134
jsgt32 %r2, -1, out
jeq32 %r2, -134, out
ldxdw %r0, [%r3+0]
exit
out:
mov %r0, 0
exit
== ok_fork_arsh_or
call 7
mov32 %r2, %r0
arsh32 %r2, 31
or32 %r2, 5
jeq32 %r2, 5, out
jeq32 %r2, -1, out
ldxdw %r0, [%r3+0]
exit
out:
mov %r0, 0
exit
== bad_fork_or_reaches_constant
call 7
mov32 %r2, %r0
arsh32 %r2, 31
or32 %r2, 5
jeq32 %r2, 5, bad
mov %r0, 0
exit
bad:
ldxdw %r0, [%r3+0]
exit
== ok_fork_arsh64_and
call 7
lsh %r0, 32
mov %r2, %r0
arsh %r2, 63
and %r2, 12
jeq %r2, 0, out
jeq %r2, 12, out
ldxdw %r0, [%r3+0]
exit
out:
mov %r0, 0
exit
== ok_narrow_spill_stays_linked
call 7
mov %r6, %r0
and %r6, 255
stxb [%r10-8], %r6
ldxb %r7, [%r10-8]
jgt %r6, 10, out
mov %r1, %r10
add %r1, -16
add %r1, %r7
stb [%r1+0], 0
out:
mov %r0, 0
exit
== bad_narrow_spill_unlinked_when_too_wide
call 7
mov %r6, %r0
and %r6, 511
stxb [%r10-8], %r6
ldxb %r7, [%r10-8]
jgt %r6, 10, out
mov %r1, %r10
add %r1, -16
add %r1, %r7
stb [%r1+0], 0
out:
mov %r0, 0
exit
== ok_spill_fill_64_linked
call 7
mov %r6, %r0
stxdw [%r10-8], %r6
ldxdw %r7, [%r10-8]
jgt %r6, 7, out
mov %r1, %r10
add %r1, -16
add %r1, %r7
stb [%r1+0], 0
out:
mov %r0, 0
exit
