# every ALU/ALU64 form (K and X), sdiv/smod, movsx, neg, byte swaps
mov %r0, 0
mov %r1, 1
mov %r2, 2
mov32 %r3, -3
mov32 %r4, %r2
mov %r5, %r1
add %r1, 5
add %r1, %r2
add32 %r1, -7
add32 %r1, %r2
sub %r1, 1
sub %r1, %r2
sub32 %r1, 1
sub32 %r1, %r2
mul %r1, 3
mul %r1, %r2
mul32 %r1, 3
mul32 %r1, %r2
div %r1, 3
div %r1, %r2
div32 %r1, 3
div32 %r1, %r2
sdiv %r1, -3
sdiv %r1, %r2
sdiv32 %r1, 3
sdiv32 %r1, %r2
mod %r1, 3
mod %r1, %r2
mod32 %r1, 3
mod32 %r1, %r2
smod %r1, 3
smod %r1, %r2
smod32 %r1, -3
smod32 %r1, %r2
or %r1, 0x80000000
or %r1, %r2
or32 %r1, 0x10
or32 %r1, %r2
and %r1, -2
and %r1, %r2
and32 %r1, 0xff
and32 %r1, %r2
lsh %r1, 63
lsh %r1, %r2
lsh32 %r1, 31
lsh32 %r1, %r2
rsh %r1, 1
rsh %r1, %r2
rsh32 %r1, 1
rsh32 %r1, %r2
arsh %r1, 7
arsh %r1, %r2
arsh32 %r1, 7
arsh32 %r1, %r2
xor %r1, 0x7fffffff
xor %r1, %r2
xor32 %r1, 5
xor32 %r1, %r2
neg %r1
neg32 %r1
movsx864 %r3, %r1
movsx1664 %r3, %r1
movsx3264 %r3, %r1
movsx832 %r3, %r1
movsx1632 %r3, %r1
be16 %r1
be32 %r1
be64 %r1
le16 %r1
le32 %r1
le64 %r1
bswap16 %r1
bswap32 %r1
bswap64 %r1
mov %r0, %r1
exit
