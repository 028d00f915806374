# Verifier-lite cases: each "== name" section is one program (conformance syntax; `raw` for
# encodings the assembler refuses). make.sh loads each one into the kernel as sched_cls.
== ok_minimal
mov %r0, 0
exit
== ok_call_local
mov %r1, 1
call local sub
exit
sub:
mov %r0, %r1
exit
== ok_ldabs
mov %r6, %r1
mov %r7, 2
ldabsh 12
ldindb %r7, 1
exit
== ok_helpers
mov %r6, %r1
call 5
call 7
mov %r1, %r6
mov %r2, 0
call 34
mov %r0, 0
exit
== ok_jumps_lddw
mov %r0, 0
jeq %r1, 0, +2
lddw %r0, 0x1122334455667788
ja +0
exit
== ok_may_goto_loop
mov %r0, 0
loop:
may_goto +2
add %r0, 1
ja loop
exit
== ok_depth_8
call local f1
exit
f1:
call local f2
exit
f2:
call local f3
exit
f3:
call local f4
exit
f4:
call local f5
exit
f5:
call local f6
exit
f6:
call local f7
exit
f7:
mov %r0, 0
exit
== ok_v4
mov %r1, 5
movsx864 %r0, %r1
sdiv %r0, -1
smod32 %r0, 3
bswap16 %r0
gotol +0
exit
== ok_shift_max
mov %r0, 1
lsh %r0, 63
lsh32 %r0, 31
arsh %r0, 63
exit
== ok_atomics
mov %r1, 1
stdw [%r10-8], 0
lock fetch add [%r10-8], %r1
lock xchg32 [%r10-8], %r1
mov %r0, 0
lock cmpxchg [%r10-8], %r1
exit
== bad_unknown_opcode
raw 0x0e00000000000000
mov %r0, 0
exit
== bad_callx
mov %r1, 0
callx %r1
mov %r0, 0
exit
== bad_ldabs_dw
mov %r6, %r1
raw 0x3800000000000000
exit
== bad_ldxsdw
raw 0x991a000000000000
mov %r0, 0
exit
== bad_write_r10
mov %r10, 0
mov %r0, 0
exit
== bad_reg11
raw 0xb70b000000000000
mov %r0, 0
exit
== bad_alu_reserved_src
mov %r0, 0
raw 0x0720000001000000
exit
== bad_alu_reserved_off
mov %r0, 0
raw 0x0700010001000000
exit
== bad_shift_imm64
mov %r0, 1
lsh %r0, 64
exit
== bad_shift_imm32
mov %r0, 1
rsh32 %r0, 32
exit
== bad_shift_neg
mov %r0, 1
arsh %r0, -1
exit
== bad_div_zero
mov %r0, 1
div %r0, 0
exit
== bad_mod32_zero
mov %r0, 1
mod32 %r0, 0
exit
== bad_sdiv_zero
mov %r0, 1
sdiv %r0, 0
exit
== bad_div_off2
mov %r0, 1
raw 0x3700020002000000
exit
== bad_end_imm
mov %r0, 1
raw 0xdc00000008000000
exit
== bad_bswap_x
mov %r0, 1
raw 0xdf00000010000000
exit
== bad_neg_x
mov %r0, 1
raw 0x8f00000000000000
exit
== bad_neg_imm
mov %r0, 1
raw 0x8700000001000000
exit
== bad_movsx_off4
mov %r1, 1
raw 0xbf10040000000000
exit
== bad_movsx32_off32
mov %r1, 1
raw 0xbc10200000000000
exit
== bad_mov_imm_src
raw 0xb710000000000000
exit
== bad_ldx_imm
raw 0x61a1fcff01000000
mov %r0, 0
exit
== bad_st_src
raw 0x621afcff01000000
mov %r0, 0
exit
== bad_stx_imm
mov %r1, 0
raw 0x631afcff01000000
mov %r0, 0
exit
== bad_atomic_byte
mov %r1, 0
stdw [%r10-8], 0
raw 0xd31af8ff00000000
mov %r0, 0
exit
== bad_atomic_op
mov %r1, 0
stdw [%r10-8], 0
raw 0xdb1af8ff02000000
mov %r0, 0
exit
== bad_atomic_fetch_half
mov %r1, 0
stdw [%r10-8], 0
raw 0xcb1af8ff01000000
mov %r0, 0
exit
== bad_ldabs_reserved
mov %r6, %r1
raw 0x280100000c000000
exit
== bad_lddw_truncated
mov %r0, 0
raw 0x1800000001000000
== bad_lddw_second_slot
raw 0x1800000001000000
raw 0x0700000000000000
exit
== bad_lddw_off
raw 0x1800010001000000
raw 0x0000000000000000
exit
== bad_lddw_src7
raw 0x1870000001000000
raw 0x0000000000000000
exit
== bad_jump_out_of_range
mov %r0, 0
ja +5
exit
== bad_jump_before_start
mov %r0, 0
jeq %r0, 0, -3
exit
== bad_jump_into_lddw
mov %r0, 0
jeq %r1, 0, +1
lddw %r0, 5
exit
== bad_no_exit
mov %r0, 0
== bad_fall_off_end
mov %r0, 0
jeq %r1, 0, +1
exit
mov %r0, 1
== bad_unreachable
mov %r0, 0
exit
mov %r0, 1
exit
== bad_subprog_no_exit
call local sub
exit
sub:
mov %r0, 0
== bad_subprog_fallthrough
mov %r0, 0
call local sub
sub:
mov %r0, 1
exit
== bad_jump_across_subprog
mov %r0, 0
call local sub
ja +1
exit
sub:
mov %r0, 1
exit
== bad_call_out_of_range
call local +10
exit
== bad_call_into_lddw
call local +2
exit
lddw %r0, 1
exit
== bad_helper_unknown
call 212
mov %r0, 0
exit
== bad_helper_negative
call -1
mov %r0, 0
exit
== bad_helper_not_for_tc
mov %r1, 0
mov %r2, 0
mov %r3, 0
call 4
mov %r0, 0
exit
== bad_call_reserved
raw 0x8501000005000000
mov %r0, 0
exit
== bad_exit_reserved
mov %r0, 0
raw 0x9500000001000000
== bad_ja_reserved
mov %r0, 0
raw 0x0500000001000000
exit
== bad_ja32_reserved
mov %r0, 0
raw 0x0600010000000000
exit
== bad_jmp_reserved
mov %r0, 0
raw 0x1510000000000000
exit
== bad_may_goto_src
mov %r0, 0
raw 0xe510000000000000
exit
== bad_depth_9
call local f1
exit
f1:
call local f2
exit
f2:
call local f3
exit
f3:
call local f4
exit
f4:
call local f5
exit
f5:
call local f6
exit
f6:
call local f7
exit
f7:
call local f8
exit
f8:
mov %r0, 0
exit
== ok_ldabs_with_calls
mov %r6, %r1
ldabsb 0
call local sub
exit
sub:
mov %r0, 0
exit
== bad_kfunc_unknown
raw 0x8520000001000000
mov %r0, 0
exit
== bad_pseudo_call_reserved
raw 0x8511000001000000
exit
mov %r0, 0
exit
== ok_jump_back_bounded
mov %r0, 0
mov %r1, 3
top:
add %r0, 1
sub %r1, 1
jne %r1, 0, top
exit
== bad_two_errors_order
mov %r10, 0
ja +5
exit
== gap_uninit_r0
exit
== gap_infinite_loop
mov %r0, 0
ja -1
== bad_stack_write_above_fp
mov %r0, 0
stdw [%r10+8], 0
exit
== bad_stack_write_straddle_fp
mov %r0, 0
stw [%r10-2], 0
exit
== bad_stack_read_below
mov %r0, 0
ldxdw %r1, [%r10-520]
exit
== bad_stack_misaligned
mov %r0, 0
stdw [%r10-4], 0
exit
== bad_stack_atomic_oob
mov %r1, 1
lock add [%r10+0], %r1
mov %r0, 0
exit
== ok_stack_512
mov %r0, 0
stdw [%r10-512], 0
stb [%r10-1], 0
exit
== bad_stack_combined
stdw [%r10-320], 0
call local sub
exit
sub:
stdw [%r10-256], 0
mov %r0, 0
exit
== ok_may_goto_zero
mov %r0, 0
may_goto +0
exit
== bad_tail_call_opcode
mov %r0, 0
raw 0xf500000000000000
exit
== bad_recursion
call local sub
exit
sub:
call local sub
exit
== bad_gotol_out_of_range
mov %r0, 0
gotol +100
exit
== gap_pseudo_func_needs_btf
lddw %r0, 0
raw 0x1842000003000000
raw 0x0000000000000000
mov %r0, 0
exit
mov %r0, 0
exit
== bad_lddw_map_fd_next_imm
raw 0x1811000005000000
raw 0x0000000001000000
mov %r0, 0
exit
== gap_lddw_bad_map_fd
raw 0x1811000005000000
raw 0x0000000000000000
mov %r0, 0
exit
== bad_src_reg12
raw 0xbfc0000000000000
exit
== bad_stx_dst_reg11
mov %r1, 0
raw 0x7b1b000000000000
mov %r0, 0
exit
== bad_jmp_dst_reg11
mov %r0, 0
raw 0x150b000000000000
exit
== bad_ldx_into_r10
mov %r0, 0
ldxdw %r10, [%r1+0]
exit
== bad_lddw_into_r10
mov %r0, 0
lddw %r10, 1
exit
== bad_fetch_into_r10
mov %r0, 0
stdw [%r10-8], 0
lock fetch add [%r10-8], %r10
exit
== bad_xchg_into_r10
mov %r0, 0
stdw [%r10-8], 0
lock xchg [%r10-8], %r10
exit
== bad_load_acq_into_r10
mov %r0, 0
stdw [%r10-8], 0
load_acqdw %r10, [%r10-8]
exit
== bad_div_r10_zero
mov %r0, 0
div %r10, 0
exit
== bad_may_goto_imm
mov %r0, 0
raw 0xe500000005000000
exit
== bad_ldind_src_reg11
mov %r6, %r1
raw 0x40b0000000000000
exit
== bad_ldx_misaligned_stack
mov %r0, 0
stdw [%r10-8], 0
ldxw %r0, [%r10-6]
exit
== ok_gotol_last
mov %r0, 0
mov %r2, 0
loop:
add %r2, 1
jlt %r2, 3, +1
exit
gotol loop
== ok_dead_poison_call
mov %r0, 0
mov %r2, 0
jne %r2, 0, +1
exit
raw 0x850000001023ad0b
exit
== bad_live_poison_call
mov %r0, 0
mov %r2, 0
jeq %r2, 0, +1
exit
raw 0x850000001023ad0b
exit
== ok_dead_div_zero_folded
mov %r0, 0
mov32 %r2, 6
and32 %r2, 1
lsh %r2, 3
jeq %r2, 0, +2
div %r0, 0
exit
mov %r0, 1
exit
