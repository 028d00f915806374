#!/bin/sh
# Records what Linux's bpf_fib_lookup and bpf_sk_lookup_tcp answer test/data/mock/mock.bpf.o
# (root, bpffs, iproute2, bpftool, python3; Linux 6.18 when recorded), for test/cli/mock-kernel.test.ts:
# in a fresh network namespace with two veth devices (d3, d4; their peers p3, p4 up), forwarding on and a TCP listener
# on 0.0.0.0:80, `world` runs once on CPU 0 (bpftool prog run, inside the namespace) on the
# frame of test/data/mock/frames.txt for each routing case below, and `bpftool -j map dump` of
# its `out` map is kept (CASE.kernel.json). Next to each, CASE.env.json declares the same routes,
# neighbours and socket for `tcxlab --env`, with the devices' real ifindexes.
#   sh test/goldens/mock/record.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$here"
ns=tcxlab_mock_$$
pin=/sys/fs/bpf/tcxlab_mock_$$
tmp=$(mktemp -d)
listener=
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$pin" "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
X() { ip netns exec "$ns" "$@"; }
# nsenter keeps the host's /sys (and its bpffs), which `ip netns exec` remounts.
N() { nsenter --net="/run/netns/$ns" "$@"; }
X ip link set lo up
X sysctl -qw net.ipv4.conf.all.forwarding=1
X sysctl -qw net.ipv4.conf.lo.forwarding=1
X ip link add d3 type veth peer name p3
X ip link set d3 address 02:00:00:00:00:03 up
X ip link set p3 up
X ip addr add 10.0.0.1/24 dev d3
X ip link add d4 type veth peer name p4
X ip link set d4 address 02:00:00:00:00:04 up
X ip link set p4 up
i3=$(X ip -o link show d3 | cut -d: -f1)
i4=$(X ip -o link show d4 | cut -d: -f1)
N python3 -c 'import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80))
s.listen()
time.sleep(60)' &
listener=$!
sleep 1
mkdir -p "$pin"
bpftool prog loadall "$root/test/data/mock/mock.bpf.o" "$pin/p" pinmaps "$pin/m" 2>/dev/null
grep -v '^#' "$root/test/data/mock/frames.txt" | xxd -r -p > "$tmp/frame.bin"
zeros=$(printf '0 %.0s' $(seq 1 72))
sock='"sockets": [{ "protocol": "tcp", "local": "0.0.0.0:80" }]'
connected="{ \"dst\": \"10.0.0.0/24\", \"ifindex\": $i3, \"smac\": \"02:00:00:00:00:03\" }"
gw="{ \"dst\": \"10.1.0.0/16\", \"ifindex\": $i3, \"gateway\": \"10.0.0.254\", \"smac\": \"02:00:00:00:00:03\" }"
onlink="{ \"dst\": \"10.1.2.0/24\", \"ifindex\": $i4, \"smac\": \"02:00:00:00:00:04\" }"
n99="{ \"ip\": \"10.1.2.3\", \"mac\": \"02:00:00:00:00:99\", \"ifindex\": $i4 }"
nfe="{ \"ip\": \"10.0.0.254\", \"mac\": \"02:00:00:00:00:fe\", \"ifindex\": $i3 }"
# case name, then the env JSON of the routing state set up just before
record() {
	bpftool map update pinned "$pin/m/out" key 0 0 0 0 value $zeros
	N taskset -c 0 bpftool prog run pinned "$pin/p/world" data_in "$tmp/frame.bin" repeat 1 > /dev/null
	bpftool -j map dump pinned "$pin/m/out" > "$1.kernel.json"
	printf '%s\n' "$2" > "$1.env.json"
}
X ip route add 10.1.0.0/16 via 10.0.0.254 dev d3
X ip route add 10.1.2.0/24 dev d4
X ip neigh add 10.1.2.3 lladdr 02:00:00:00:00:99 dev d4 nud permanent
record onlink "{ \"routes\": [$connected, $gw, $onlink], \"neighbours\": [$n99], $sock }"
X ip route del 10.1.2.0/24 dev d4
record gateway "{ \"routes\": [$connected, $gw], \"neighbours\": [$n99], $sock }"
X ip neigh add 10.0.0.254 lladdr 02:00:00:00:00:fe dev d3 nud permanent
record gateway-neigh "{ \"routes\": [$connected, $gw], \"neighbours\": [$n99, $nfe], $sock }"
X ip route del 10.1.0.0/16
record noroute "{ \"routes\": [$connected], \"neighbours\": [$n99, $nfe], $sock }"
X ip route add blackhole 10.1.2.0/24
record blackhole "{ \"routes\": [$connected, { \"dst\": \"10.1.2.0/24\", \"type\": \"blackhole\" }], \"neighbours\": [$n99, $nfe], $sock }"
uname -r > kernel.txt
bpftool version | head -1 >> kernel.txt
