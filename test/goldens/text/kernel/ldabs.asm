# legacy packet loads (ctx in r6)
mov %r6, %r1
ldabsb 0
ldabsh 12
ldabsw 14
mov %r7, 2
ldindb %r7, 1
ldindh %r7, -2
ldindw %r7, 0x10
exit
