# Precision by backtracking (mark_chain_precision): programs whose processed-instruction and
# state counts tcxlab must match (the kernel's "processed N insns"), recorded with
#   LOGLEVEL=4 CASES=precision-cases.asm OUT=precision-cases.kernel.json sh make.sh
# Each is a diamond that joins with r8 = B (the fall-through, walked first) or A, then a body.
# A comparison the bounds do not decide relies on no value: pruned at the join.
== undecided_compare_not_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
call 7
jgt %r0, %r8, +1
mov %r0, 0
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# A comparison the bounds decide relies on the value: both sides are walked.
== decided_compare_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r0, 0
jgt %r8, 5, +1
mov %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# A spilled value filled back and compared without a decision: pruned.
== spill_fill_undecided_not_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
stxdw [%r10-8], %r8
call 7
ldxdw %r8, [%r10-8]
jgt %r0, %r8, +1
mov %r0, 0
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# A scalar added to a stack pointer must keep its value: both sides are walked.
== pointer_offset_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 8
jgt %r7, 5, join
mov %r8, 16
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r1, %r10
add %r1, -32
add %r1, %r8
stdw [%r1+0], 0
mov %r0, 0
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# Zero stored at an offset that is not a spill makes zero bytes: the register must stay 0.
== zero_store_not_spill_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
stxw [%r10-4], %r8
mov %r0, 0
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# The same store of a non-zero value makes misc bytes: pruned.
== nonzero_store_not_spill_not_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
stxw [%r10-4], %r8
mov %r0, 0
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
# An argument the callee compares with a decided branch is precise in the caller: both walked.
== subprog_arg_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r1, %r8
call local sub
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
sub:
mov %r0, 0
jeq %r1, 1, +1
mov %r0, 1
exit
# An argument the callee only compares without a decision: pruned in the caller.
== subprog_arg_unused_not_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r8, 1
jgt %r7, 5, join
mov %r8, 2
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r1, %r8
call local sub
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
add %r0, 1
mov %r0, 0
exit
sub:
mov %r6, %r1
call 7
jgt %r0, %r6, +1
mov %r0, 0
exit
