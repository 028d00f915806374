# A 32-bit register move (w2 = w3) copies the register and zero-extends it (copy_register_state,
# then zext_32_to_64): its 32-bit bounds stay, signed ones included, and become the 64-bit ones.
# A later comparison they decide is not followed to its other side (here a read of r1, unreadable
# after the call). Recorded with
#   CASES=mov32-cases.asm OUT=mov32-cases.kernel.json sh make.sh
# w3 s<= 999 with r3 in [0, 2^32): w2 keeps s32 <= 999, so w2 s> 999 is never taken.
== ok_mov32_keeps_s32_max
call 7
mov32 %r3, %r0
jsgt32 %r3, 999, out
mov32 %r2, %r3
jsgt32 %r2, 999, bad
out:
mov %r0, 0
exit
bad:
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
# The same bound does not rule out w2 = 999: the read is reached.
== bad_mov32_s32_max_not_enough
call 7
mov32 %r3, %r0
jsle32 %r3, 999, +2
mov %r0, 0
exit
mov32 %r2, %r3
jsle32 %r2, 998, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
# r3 is any 64-bit value with w3 in [5, 6] (not linked: wider than 32 bits): w2 = w3 is 5 or 6,
# though the known bits alone allow 4 to 7, so w2 == 7 is never taken.
== ok_mov32_wide_keeps_u32
call 7
mov %r3, %r0
jgt32 %r3, 6, +4
jlt32 %r3, 5, +3
mov32 %r2, %r3
jne %r2, 7, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
