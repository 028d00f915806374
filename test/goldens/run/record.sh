#!/usr/bin/env bash
# Regenerates every kernel golden listed in manifest.json by running the real
# kernel through the oracle (needs root, bpf(), Linux >= 6.6 for tcx).
#
#   sudo test/goldens/run/record.sh            # all goldens
#   sudo test/goldens/run/record.sh nat.       # only goldens whose name starts with "nat."
#
# TCXLAB_ORACLE is the kernel oracle (docs/kernel-oracle.md; npm run record-goldens -- run). Run from
# anywhere: paths in the manifest are relative to the repository root.
# The oracle's JSON is re-indented (python3 json, indent 1) and otherwise kept
# as is, including load failures (the negative fixtures), whose exit status 1
# is expected.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ORACLE="${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}"
FILTER="${1:-}"
cd "$ROOT"

if [ "$(id -u)" != 0 ]; then
	echo "record.sh: needs root (BPF_PROG_TEST_RUN)" >&2
	exit 1
fi
[ -x "$ORACLE" ] || { echo "record.sh: no oracle at $ORACLE" >&2; exit 1; }

# one line per golden: name <TAB> output <TAB> argv as a JSON array
python3 - "$FILTER" > /tmp/tcxlab-record.$$ <<'PY'
import json, sys
m = json.load(open("test/goldens/run/manifest.json"))
for g in m["goldens"]:
    if g["name"].startswith(sys.argv[1]):
        print("%s\t%s\t%s" % (g["name"], g["output"], json.dumps(g["argv"])))
PY

n=0
while IFS=$'\t' read -r name output argv; do
	mapfile -t args < <(python3 -c 'import json,sys; print("\n".join(json.loads(sys.argv[1])))' "$argv")
	raw="$("$ORACLE" "${args[@]}" || true)"
	printf '%s' "$raw" | python3 -c '
import json, sys
d = json.load(sys.stdin)
json.dump(d, open(sys.argv[1], "w"), indent=1)
open(sys.argv[1], "a").write("\n")
' "$output"
	n=$((n + 1))
	echo "recorded $name"
done < /tmp/tcxlab-record.$$
rm -f /tmp/tcxlab-record.$$
echo "record.sh: $n goldens written ($(uname -r))"
