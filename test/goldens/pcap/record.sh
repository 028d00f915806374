#!/bin/bash
# Records the capture files test/pcap/ reads, made by Wireshark's tools and the kernel, never by
# tcxlab, and what tshark reads in them (expected.json):
#
#   text2pcap / editcap   Ethernet frames as pcap (µs), pcap (ns), pcapng; raw IP (LINKTYPE_RAW
#                         101, IPV4 228, IPV6 229); cut-short copies (the byte offset of the
#                         record that breaks off is the size of the file holding the frames
#                         before it, written by editcap)
#   dumpcap               one real ping exchange between two network namespaces captured at once
#                         on `any` as Linux SLL (pcap) and SLL2 (pcapng) and on the veth itself
#                         as Ethernet (pcapng): the converted cooked frames must match those
#
#   sudo bash test/goldens/pcap/record.sh
#
# Needs root (network namespaces, dumpcap), iproute2, text2pcap, editcap, tshark, python3.
# Only addresses inside the namespaces (10.99.0.0/24) are used; the namespaces are removed.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d)
NS1=tcxlab-pcap-a-$$
NS2=tcxlab-pcap-b-$$
cleanup() { ip netns del $NS1 2>/dev/null || true; ip netns del $NS2 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

# --- text2pcap: the frames of hex.txt (timestamps with nanoseconds) ----------------------------
cat > "$T/eth.txt" <<'HEX'
1700000000.123456789
0000  02 00 00 00 00 0b 02 00 00 00 00 0a 08 00 45 00
0010  00 1c 00 01 00 00 40 11 66 cd 0a 00 00 01 0a 00
0020  00 02 00 01 00 02 00 08 eb d8

1700000001.5
0000  ff ff ff ff ff ff 02 00 00 00 00 0a 08 06 00 01
0010  08 00 06 04 00 01 02 00 00 00 00 0a 0a 00 00 01
0020  00 00 00 00 00 00 0a 00 00 02

1700000002.000000001
0000  02 00 00 00 00 0b 02 00 00 00 00 0a 86 dd 60 00
0010  00 00 00 08 3a 40 fe 80 00 00 00 00 00 00 00 00
0020  00 00 00 00 00 01 fe 80 00 00 00 00 00 00 00 00
0030  00 00 00 00 00 02 80 00 7f 37 00 77 00 03
HEX
cat > "$T/ip.txt" <<'HEX'
1700000010.25
0000  45 00 00 1c 00 01 00 00 40 11 66 cd 0a 00 00 01
0010  0a 00 00 02 00 01 00 02 00 08 eb d8

1700000011.75
0000  60 00 00 00 00 08 3a 40 fe 80 00 00 00 00 00 00
0010  00 00 00 00 00 00 00 01 fe 80 00 00 00 00 00 00
0020  00 00 00 00 00 00 00 02 80 00 7f 37 00 77 00 03
HEX
awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$T/ip.txt" > "$T/ip4.txt"
awk 'BEGIN{RS="";ORS="\n\n"} NR==2' "$T/ip.txt" > "$T/ip6.txt"
text2pcap -q -t '%s.%f' -F pcap "$T/eth.txt" eth-us.pcap
text2pcap -q -t '%s.%f' -F pcapng "$T/eth.txt" eth.pcapng
editcap -F nsecpcap eth.pcapng eth-ns.pcap
text2pcap -q -t '%s.%f' -F pcap -l 101 "$T/ip.txt" raw.pcap
text2pcap -q -t '%s.%f' -F pcapng -l 101 "$T/ip.txt" raw.pcapng
text2pcap -q -t '%s.%f' -F pcap -l 228 "$T/ip4.txt" raw4.pcap
text2pcap -q -t '%s.%f' -F pcapng -l 229 "$T/ip6.txt" raw6.pcapng

# the kernel-golden packets of `tcxlab run` (test/goldens/run/packets/mixed.txt) as a capture
python3 - ../run/packets/mixed.txt > "$T/mixed.txt" <<'PY'
import sys
for line in open(sys.argv[1]):
    h = line.split('#')[0].strip().replace(' ', '')
    if not h:
        continue
    b = bytes.fromhex(h)
    for o in range(0, len(b), 16):
        print('%06x  %s' % (o, ' '.join('%02x' % x for x in b[o:o + 16])))
    print()
PY
text2pcap -q -F pcapng "$T/mixed.txt" mixed.pcapng

# cut short inside the third frame: the error is at the third record / block
editcap -F pcapng eth.pcapng "$T/e.pcapng"
editcap -r -F pcapng "$T/e.pcapng" "$T/first2.pcapng" 1-2
editcap -r -F pcap eth-us.pcap "$T/first2.pcap" 1-2
OFF_NG=$(stat -c %s "$T/first2.pcapng")
OFF_PCAP=$(stat -c %s "$T/first2.pcap")
cmp -n "$OFF_NG" "$T/first2.pcapng" "$T/e.pcapng"
cmp -n "$OFF_PCAP" "$T/first2.pcap" eth-us.pcap
head -c $(( $(stat -c %s "$T/e.pcapng") - 10 )) "$T/e.pcapng" > cut.pcapng
head -c $(( $(stat -c %s eth-us.pcap) - 10 )) eth-us.pcap > cut.pcap

# --- dumpcap: real cooked captures of one exchange --------------------------------------------
ip netns add $NS1
ip netns add $NS2
ip link add veth0 netns $NS1 type veth peer name veth1 netns $NS2
ip -n $NS1 link set veth0 address 02:00:00:00:99:01
ip -n $NS2 link set veth1 address 02:00:00:00:99:02
ip -n $NS1 addr add 10.99.0.1/24 dev veth0
ip -n $NS2 addr add 10.99.0.2/24 dev veth1
ip -n $NS1 link set veth0 up
ip -n $NS2 link set veth1 up
ip -n $NS1 link set lo up
sleep 1
ip netns exec $NS1 dumpcap -q -i any -y LINUX_SLL -P -w "$T/sll.pcap" 2>/dev/null & P1=$!
ip netns exec $NS1 dumpcap -q -i any -y LINUX_SLL2 -w "$T/sll2.pcapng" 2>/dev/null & P2=$!
ip netns exec $NS1 dumpcap -q -i veth0 -w "$T/veth.pcapng" 2>/dev/null & P3=$!
sleep 2
# UDP datagrams both ways (ARP first), a broadcast from the peer, IPv6 both ways (neighbour
# solicitations to solicited-node multicast groups); nothing listens: ICMP errors come back
send() { ip netns exec "$1" python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.sendto(b"tcxlab", (sys.argv[1], 9999))' "$2"; sleep 0.3; }
ip -n $NS1 addr add fd99::1/64 dev veth0 nodad
ip -n $NS2 addr add fd99::2/64 dev veth1 nodad
sleep 0.5
send $NS1 10.99.0.2
send $NS2 10.99.0.1
send $NS2 10.99.0.255
send $NS1 fd99::2
ip -n $NS1 neigh flush dev veth0
ip -n $NS2 neigh flush dev veth1
send $NS2 fd99::1
sleep 1
kill -INT $P1 $P2 $P3
wait $P1 $P2 $P3 || true
cp "$T/sll.pcap" any-sll.pcap
cp "$T/sll2.pcapng" any-sll2.pcapng
cp "$T/veth.pcapng" veth0-eth.pcapng

# --- what tshark reads ------------------------------------------------------------------------
python3 - "$OFF_NG" "$OFF_PCAP" <<'PY'
import json, subprocess, sys
def tshark(f):
    out = subprocess.run(['tshark', '-r', f, '-T', 'json', '-x'], capture_output=True, text=True, check=False).stdout
    frames = []
    for p in json.loads(out or '[]'):
        l = p['_source']['layers']
        fr = l['frame']
        e = {'time_epoch': fr['frame.time_epoch'], 'len': int(fr['frame.len']), 'cap_len': int(fr['frame.cap_len']), 'raw': l['frame_raw'][0]}
        if 'sll' in l:
            s = l['sll']
            e['sll'] = {k: v for k, v in s.items() if isinstance(v, str)}
        frames.append(e)
    return frames
def encap(f):
    out = subprocess.run(['capinfos', '-E', '-F', '-T', '-r', f], capture_output=True, text=True).stdout.strip().split('\t')
    return out[1:3]
files = ['eth-us.pcap', 'eth-ns.pcap', 'eth.pcapng', 'raw.pcap', 'raw.pcapng', 'raw4.pcap', 'raw6.pcapng', 'any-sll.pcap', 'any-sll2.pcapng', 'veth0-eth.pcapng']
res = {'tshark': subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.split('\n')[0], 'files': {}}
for f in files:
    res['files'][f] = {'capinfos': encap(f), 'frames': tshark(f)}
res['cut'] = {'cut.pcapng': {'offset': int(sys.argv[1]), 'frames_before': 2}, 'cut.pcap': {'offset': int(sys.argv[2]), 'frames_before': 2}}
json.dump(res, open('expected.json', 'w'), indent=1)
print(len(files), 'files')
PY
