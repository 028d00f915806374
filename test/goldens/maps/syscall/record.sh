#!/bin/sh
# Records the kernel's answers to map syscalls: builds mapscript (gcc, libbpf) and runs
# create.txt (creation checks) and ops.txt (host-side element operations) on the running
# kernel (root). test/maps/syscall.test.ts replays both scripts through tcxlab's host API.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
gcc -O2 -Wall -o /tmp/tcxlab-mapscript mapscript.c -lbpf
for s in create ops limits; do
	/tmp/tcxlab-mapscript "$s.txt" > "$s.out.jsonl"
	echo "$s: $(wc -l < "$s.out.jsonl") operations"
done
uname -r > kernel.txt
