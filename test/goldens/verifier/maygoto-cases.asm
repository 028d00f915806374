# may_goto loops: the kernel widens only the state it queues for the loop body (check_cond_jmp_op's
# BPF_JCOND: widen_imprecise_scalars on the pushed state, against the previous visit found by
# find_prev_entry); the path to the jump target (the loop's exit) keeps the values it arrived
# with, and so does the checkpoint saved at the may_goto. Processed-instruction and state counts
# recorded with
#   LOGLEVEL=4 CASES=maygoto-cases.asm OUT=maygoto-cases.kernel.json sh make.sh
# Two running sums nothing relies on: the second visit's exit still has r6 = 1, r7 = 3, the body
# goes on widened, and the loop converges at the fourth visit.
== ok_running_sums
mov %r6, 0
mov %r7, 0
loop:
may_goto out
add %r6, 1
add %r7, 3
ja loop
out:
mov %r0, 0
exit
# The exit decides a comparison with the sum, so r6 becomes precise on the first visit's exit
# and is never widened: every visit has a new exact sum, the loop never converges and the walk
# ends at the complexity limit (E2BIG).
== too_large_exit_reads_sum
mov %r6, 0
loop:
may_goto out
add %r6, 1
ja loop
out:
mov %r0, 0
jgt %r6, 10, big
exit
big:
mov %r0, 1
exit
# A counter the loop's own branch relies on is precise: never widened, the loop runs its 4
# iterations with exact values (may_goto bounds nothing here).
== ok_precise_counter
mov %r6, 0
mov %r7, 0
loop:
may_goto out
jge %r6, 4, out
add %r6, 1
add %r7, 2
ja loop
out:
mov %r0, 0
exit
# The sum in a stack slot: spilled scalars are widened like registers.
== ok_spilled_sum
stdw [%r10-8], 0
loop:
may_goto out
ldxdw %r1, [%r10-8]
add %r1, 1
stxdw [%r10-8], %r1
ja loop
out:
mov %r0, 0
exit
