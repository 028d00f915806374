# ctx (__sk_buff) accesses of a sched_cls program: verifier-lite with the ctxAccess callback.
# Same format as cases.asm; make.sh CASES=ctx-cases.asm OUT=ctx-cases.kernel.json
== ok_ctx_read_len
ldxw %r0, [%r1+0]
exit
== ok_ctx_read_narrow
ldxb %r0, [%r1+0]
exit
== bad_ctx_read_dw
ldxdw %r0, [%r1+0]
exit
== bad_ctx_read_past_end
ldxw %r0, [%r1+192]
exit
== bad_ctx_read_data_signed
ldxsw %r0, [%r1+76]
exit
== ok_ctx_read_data
ldxw %r0, [%r1+76]
mov %r0, 0
exit
== bad_ctx_write_len
mov32 %r2, 1
stxw [%r1+0], %r2
mov %r0, 0
exit
== ok_ctx_write_mark
mov32 %r2, 1
stxw [%r1+8], %r2
mov %r0, 0
exit
== bad_ctx_write_mark_half
mov32 %r2, 1
stxh [%r1+8], %r2
mov %r0, 0
exit
== ok_ctx_write_cb_dw
mov %r2, 1
stxdw [%r1+48], %r2
mov %r0, 0
exit
== ok_ctx_st_imm
stw [%r1+8], 1
mov %r0, 0
exit
== bad_ctx_st_imm_len
stw [%r1+0], 1
mov %r0, 0
exit
== bad_ctx_atomic
mov32 %r2, 1
lock add32 [%r1+8], %r2
mov %r0, 0
exit
== bad_ctx_modified_ptr
add %r1, 4
ldxw %r0, [%r1+0]
exit
== bad_ctx_modified_ptr_write
add %r1, 8
mov32 %r2, 1
stxw [%r1+0], %r2
mov %r0, 0
exit
== bad_ctx_copy_write
mov %r6, %r1
mov32 %r2, 1
stxw [%r6+4], %r2
mov %r0, 0
exit
== ok_ctx_kept_across_call
mov %r6, %r1
call 5
ldxw %r0, [%r6+8]
exit
== ok_ctx_dead_branch
mov %r2, 0
jeq %r2, 0, +1
stxw [%r1+0], %r2
mov %r0, 0
exit
== bad_ctx_live_branch
mov %r2, 0
jne %r2, 0, +1
stxw [%r1+0], %r2
mov %r0, 0
exit
== bad_ctx_after_loop
mov %r6, %r1
mov %r7, 0
loop:
add %r7, 1
jlt %r7, 4, loop
stxw [%r6+0], %r7
mov %r0, 0
exit
== ok_ctx_other_ptr_unknown
mov %r6, %r10
add %r6, -8
stdw [%r10-8], 0
ldxw %r0, [%r6+0]
exit
== gap_ctx_join
mov %r3, %r1
ldxw %r2, [%r1+8]
jeq %r2, 0, +2
mov %r3, %r10
add %r3, -8
stdw [%r10-8], 0
ldxdw %r0, [%r3+0]
exit
== ok_ctx_subprog_arg
call local sub
exit
sub:
ldxw %r0, [%r1+8]
exit
