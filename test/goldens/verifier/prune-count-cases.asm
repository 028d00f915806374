# Pruning parity: programs whose processed-instruction count tcxlab must match (the kernel's
# "processed N insns"), recorded with
#   LOGLEVEL=4 CASES=prune-count-cases.asm OUT=prune-count-cases.kernel.json sh make.sh
# A value stored through the context (not the stack) need not be exact: the second side of the
# diamond is pruned where it joins.
== ctx_store_not_precise
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
stxw [%r6+8], %r8
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
# An ARG_ANYTHING helper argument (bpf_redirect's ifindex) is not checked: pruned at the join.
== helper_any_arg_not_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r2, 1
jgt %r7, 5, join
mov %r2, 2
mov %r1, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r1, %r6
mov %r3, 0
call 23
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
# A size argument (bpf_skb_load_bytes' len) is checked: both sides are walked.
== helper_size_arg_precise
mov %r6, %r1
call 7
mov %r7, %r0
ja +0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r4, 4
jgt %r7, 5, join
mov %r4, 8
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r5, 0
mov %r9, 0
ja join
join:
mov %r1, %r6
mov %r2, 0
mov %r3, %r10
add %r3, -16
call 26
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
# A value spilled to the stack and compared after its fill must be exact: both sides are walked.
== stack_spill_precise
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
mov %r0, 0
ldxdw %r8, [%r10-8]
jeq %r8, 1, +1
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
# Loading a context field back gives a fresh value, not the stored register: pruned.
== ctx_load_after_store_not_precise
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
stxw [%r6+8], %r8
ldxw %r9, [%r6+8]
jeq %r9, 1, +0
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
# A slot with only its middle bytes written (a 2-byte store at fp-6) is dead after the join: it is
# cleaned like any dead slot, so the other side, which spilled a pointer there, is pruned.
== narrow_write_slot_cleaned
call 7
mov %r6, %r0
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
mov %r7, 0
jgt %r6, 10, l1
stxh [%r10-6], %r6
mov %r8, 0
ja join
l1:
stxdw [%r10-8], %r10
mov %r8, 0
join:
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
exit
# Misc stack bytes cover anything for root, a spilled pointer too (stacksafe with
# allow_uninit_stack): the second path, with the context spilled at fp-8, is pruned at the load
# where the first left eight misc bytes.
== misc_covers_spilled_pointer
mov %r9, %r1
call 5
jeq %r0, 0, +4
call 5
stxdw [%r10-8], %r0
stxw [%r10-4], %r0
ja +1
stxdw [%r10-8], %r9
ldxdw %r1, [%r10-8]
exit
