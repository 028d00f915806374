# Bounds that a range and a tnum leave to a single value (__update_reg64_bounds with tnum_step):
# after the refinement the register is a constant, so a later comparison with it is decided and
# the unreachable side (a read of an unreadable register) is not checked. Recorded with
#   CASES=bounds-cases.asm OUT=bounds-cases.kernel.json sh make.sh
# r2 is 0 or 512 (var_off (0; 0x200)); not 0 leaves 512.
== ok_tnum_single_value_tmax
call 7
mov %r2, %r0
and32 %r2, 512
jne32 %r2, 0, +2
mov %r0, 0
exit
jeq %r2, 512, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
# r2 is one of 0, 4, 64, 68 (var_off (0; 0x44)); above 4 and below 68 leaves 64.
== ok_tnum_single_value_between
call 7
mov %r2, %r0
and %r2, 68
jle %r2, 4, +3
jge %r2, 68, +2
jeq %r2, 64, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
# r2 is one of 0, 4, 64, 68; at least 4 and below 64 leaves 4 (umin itself).
== ok_tnum_single_value_umin
call 7
mov %r2, %r0
and %r2, 68
jlt %r2, 4, +3
jge %r2, 64, +2
jeq %r2, 4, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
# r2 is one of 0, 4, 64, 68; above 0 leaves three values: the read is reached.
== bad_tnum_three_values
call 7
mov %r2, %r0
and %r2, 68
jeq %r2, 0, +2
jeq %r2, 64, +1
ldxdw %r0, [%r1+0]
mov %r0, 0
exit
