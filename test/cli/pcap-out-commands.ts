/** The commands whose `--pcap-out` files tshark read (test/goldens/pcap/pcap-out.ts), argv from the repo root. */
export const PCAP_OUT_COMMANDS: Record<string, string[]> = {
  'net-example': ['net', '-q', 'test/goldens/net/example.net'],
  'net-egress': ['net', '-q', 'test/goldens/net/egress.net'],
  'net-clone': ['net', '-q', 'test/goldens/net/clone.net'],
  'net-redirect': ['net', '-q', 'test/goldens/net/redirect.net'],
  'run-mixed': ['run', 'progs/bench_parse.bpf.o', 'bench_parse', 'test/goldens/pcap/mixed.pcapng'],
};
