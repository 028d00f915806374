# every conditional jump (JMP and JMP32, K and X), goto, gotol, may_goto, helper and bpf-to-bpf calls
mov %r6, %r1
call 5
mov %r1, %r0
mov %r2, 3
jeq %r1, 1, +0
jeq %r1, %r2, +0
jgt %r1, -1, +0
jgt %r1, %r2, +0
jge %r1, 0x7fffffff, +0
jge %r1, %r2, +0
jset %r1, 4, +0
jset %r1, %r2, +0
jne %r1, 0, +0
jne %r1, %r2, +0
jsgt %r1, -5, +0
jsgt %r1, %r2, +0
jsge %r1, 5, +0
jsge %r1, %r2, +0
jlt %r1, 5, +0
jlt %r1, %r2, +0
jle %r1, 5, +0
jle %r1, %r2, +0
jslt %r1, 5, +0
jslt %r1, %r2, +0
jsle %r1, 5, +0
jsle %r1, %r2, +0
jeq32 %r1, 1, +0
jeq32 %r1, %r2, +0
jgt32 %r1, -1, +0
jgt32 %r1, %r2, +0
jge32 %r1, 5, +0
jge32 %r1, %r2, +0
jset32 %r1, 4, +0
jset32 %r1, %r2, +0
jne32 %r1, 0, +0
jne32 %r1, %r2, +0
jsgt32 %r1, -5, +0
jsgt32 %r1, %r2, +0
jsge32 %r1, 5, +0
jsge32 %r1, %r2, +0
jlt32 %r1, 5, +0
jlt32 %r1, %r2, +0
jle32 %r1, 5, +0
jle32 %r1, %r2, +0
jslt32 %r1, 5, +0
jslt32 %r1, %r2, +0
jsle32 %r1, 5, +0
jsle32 %r1, %r2, +0
jeq %r1, 0, +1
ja +1
mov %r1, 1
jeq %r1, 0, +1
gotol +1
mov %r1, 2
may_goto +1
mov %r1, 3
call 1
call 12
call 23
call 211
call local sub
mov %r0, 0
exit
sub:
mov %r0, 1
exit
