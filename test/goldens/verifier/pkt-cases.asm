# packet accesses of a sched_cls program: verifier-lite with ctxAccess and packet {76, 80}.
#   CASES=pkt-cases.asm OUT=pkt-cases.kernel.json sh make.sh
== ok_gt_fall
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxb %r0, [%r2+13]
mov %r0, 0
exit
== bad_gt_fall_over
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxb %r0, [%r2+14]
mov %r0, 0
exit
== ok_ge_fall_strict
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jge %r4, %r3, +1
ldxb %r0, [%r2+14]
mov %r0, 0
exit
== bad_ge_fall_strict_over
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jge %r4, %r3, +1
ldxh %r0, [%r2+14]
mov %r0, 0
exit
== ok_end_lt_fall
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jlt %r3, %r4, +1
ldxb %r0, [%r2+13]
mov %r0, 0
exit
== bad_end_lt_taken
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jlt %r3, %r4, +1
mov %r0, 0
ldxb %r0, [%r2+0]
mov %r0, 0
exit
== ok_via_r4
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxb %r0, [%r4-1]
mov %r0, 0
exit
== bad_via_r4_over
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxb %r0, [%r4+0]
mov %r0, 0
exit
== bad_negative_off
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxb %r0, [%r2-1]
mov %r0, 0
exit
== bad_no_check
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
ldxb %r0, [%r2+0]
mov %r0, 0
exit
== ok_store
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
stxw [%r2+10], %r4
mov %r0, 0
exit
== bad_store_over
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
stxw [%r2+12], %r4
mov %r0, 0
exit
== ok_st_imm
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
stb [%r2+0], 1
mov %r0, 0
exit
== bad_atomic
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +2
mov %r5, 1
lock add32 [%r2+0], %r5
mov %r0, 0
exit
== ok_dw_read
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
ldxdw %r0, [%r2+6]
mov %r0, 0
exit
== gap_after_store_bytes
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +9
mov %r6, %r2
mov %r1, %r1
mov %r2, 0
mov %r3, %r10
add %r3, -8
mov %r4, 1
mov %r5, 0
stdw [%r10-8], 0
call 9
ldxb %r0, [%r6+0]
mov %r0, 0
exit
== ok_after_ktime
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +3
mov %r6, %r2
call 5
ldxb %r0, [%r6+0]
mov %r0, 0
exit
== bad_range_join
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +1
mov %r0, 1
ldxb %r0, [%r2+0]
mov %r0, 0
exit
== ok_range_join_both
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +4
jeq %r0, 0, +1
mov %r5, 1
ldxb %r0, [%r2+5]
mov %r0, 0
mov %r0, 0
exit
== ok_two_checks
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +4
add %r4, 6
jgt %r4, %r3, +2
ldxw %r0, [%r2+16]
mov %r0, 0
exit
== bad_two_checks_over
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +4
add %r4, 6
jgt %r4, %r3, +2
ldxw %r0, [%r2+17]
mov %r0, 0
exit
== bad_folded_constant_offset
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
mov %r5, %r0
and %r5, 7
add %r2, %r5
ldxb %r0, [%r2+0]
mov %r0, 0
exit
== gap_variable_offset
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
ldxw %r5, [%r1+0]
and %r5, 7
add %r2, %r5
ldxb %r0, [%r2+0]
mov %r0, 0
exit
== gap_end_deref
mov %r0, 0
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 14
ldxb %r0, [%r3+0]
mov %r0, 0
exit
== ok_end_spilled_across_call
mov %r6, %r1
ldxw %r2, [%r6+76]
ldxw %r3, [%r6+80]
stxdw [%r10-8], %r3
stxdw [%r10-16], %r2
call 7
ldxdw %r2, [%r10-16]
ldxdw %r9, [%r10-8]
mov %r4, %r2
add %r4, 14
jgt %r4, %r9, +1
ldxb %r0, [%r2+13]
mov %r0, 0
exit
== bad_end_spilled_across_call_over
mov %r6, %r1
ldxw %r2, [%r6+76]
ldxw %r3, [%r6+80]
stxdw [%r10-8], %r3
stxdw [%r10-16], %r2
call 7
ldxdw %r2, [%r10-16]
ldxdw %r9, [%r10-8]
mov %r4, %r2
add %r4, 14
jgt %r4, %r9, +1
ldxb %r0, [%r2+14]
mov %r0, 0
exit
== bad_pkt_after_pull_data
mov %r6, %r1
ldxw %r2, [%r6+76]
ldxw %r3, [%r6+80]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +6
stxdw [%r10-8], %r2
mov %r1, %r6
mov %r2, 0
call 39
ldxdw %r2, [%r10-8]
ldxb %r0, [%r2+0]
mov %r0, 0
exit
