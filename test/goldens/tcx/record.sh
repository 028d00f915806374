#!/bin/sh
# Re-records the kernel's answers for every tcx script under test/goldens/tcx (the oracle
# examples, selftests/, errno/, random/, ids/, stdin/, raw/ and qdisc/): runs each SCRIPT.txt through the real kernel with
# `oracle tcx SCRIPT.txt > SCRIPT.out.json`. Needs root, bpf() and tcx (Linux >= 6.6).
#   TCXLAB_ORACLE=/path/to/oracle sh test/goldens/tcx/record.sh   (or: npm run record-goldens -- tcx)
# Exit status 3 from the oracle means the script has deliberate script-error lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
uname -r > "$here/KERNEL"
for s in "$here"/*.txt "$here"/selftests/*.txt "$here"/errno/*.txt "$here"/random/*.txt; do
	[ -f "$s" ] || continue
	# relative path as the argument: the oracle fopen()s it, so fd 3 is the script as in tcx-script
	(cd "$(dirname "$s")" && "$oracle" tcx "$(basename "$s")" > "$(basename "${s%.txt}").out.json")
	rc=$?
	case $rc in 0|3) ;; *) echo "record: $s: oracle exit $rc" >&2 ;; esac
	echo "tcx $(basename "$s"): exit $rc"
done
# ids/: recorded with --ids (the test compares ids relative to the first of each kind)
for s in "$here"/ids/*.txt; do
	[ -f "$s" ] || continue
	(cd "$here/ids" && "$oracle" tcx "$(basename "$s")" --ids > "$(basename "${s%.txt}").out.json")
	echo "tcx ids/$(basename "$s"): exit $?"
done
# stdin/: the script comes on standard input (`oracle tcx -`), so fd 3 is free for programs
for s in "$here"/stdin/*.txt; do
	[ -f "$s" ] || continue
	"$oracle" tcx - < "$s" > "${s%.txt}.out.json"
	echo "tcx stdin/$(basename "$s"): exit $?"
done
# raw/: bpf(2) corners outside the script language, probed by a small C program
if cc -O2 -Wall -o /tmp/tcxlab-tcx-probe "$here/raw/probe.c"; then
	/tmp/tcxlab-tcx-probe > "$here/raw/probe.out.json"
	echo "raw/probe: exit $?"
fi
# qdisc/: tcx entries held by clsact/ingress qdiscs, via real tc/ip commands (iproute2 needed)
if cc -O2 -Wall -o /tmp/tcxlab-tcx-qdisc "$here/qdisc/qdisc.c"; then
	for s in "$here"/qdisc/*.txt; do
		/tmp/tcxlab-tcx-qdisc < "$s" > "${s%.txt}.out.json" 2>/dev/null
		echo "qdisc/$(basename "$s"): exit $?"
	done
fi
