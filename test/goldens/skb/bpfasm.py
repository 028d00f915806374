"""Tiny BPF instruction encoder for the skb golden record scripts (raw programs for `oracle raw`)."""
import struct


def insn(op, dst=0, src=0, off=0, imm=0):
    return struct.pack('<BBhi', op, (dst & 0xf) | ((src & 0xf) << 4), off, imm)


SZ = {1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18}


def ldx(dst, src, off, size):
    return insn(0x61 | SZ[size], dst, src, off)


def ldsx(dst, src, off, size):
    return insn(0x81 | SZ[size], dst, src, off)


def stx(dst, src, off, size):
    return insn(0x63 | SZ[size], dst, src, off)


def st(dst, off, size, imm):
    return insn(0x62 | SZ[size], dst, 0, off, imm)


def mov(dst, imm):
    return insn(0xb7, dst, 0, 0, imm)


def movr(dst, src):
    return insn(0xbf, dst, src)


def lddw(dst, value):
    value &= (1 << 64) - 1
    lo = value & 0xffffffff
    hi = value >> 32
    if lo >= 1 << 31:
        lo -= 1 << 32
    if hi >= 1 << 31:
        hi -= 1 << 32
    return insn(0x18, dst, 0, 0, lo) + insn(0, 0, 0, 0, hi)


def rsh(dst, imm):
    return insn(0x77, dst, 0, 0, imm)


def subr(dst, src):
    return insn(0x1f, dst, src)


def call(helper):
    return insn(0x85, 0, 0, 0, helper)


def exit_():
    return insn(0x95)


def prog(*parts):
    return b''.join(parts).hex()
