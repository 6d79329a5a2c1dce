#!/usr/bin/env bash
# History benchmark, side by side with git itself, on a repository of COMMITS commits (made with git fast-import):
#   1. `tether log docs/report.bin` of a locked annexed file with VERSIONS versions (renamed once half-way), against
#      `git log --follow -- docs/report.bin`;
#   2. `tether restore --deleted --list --since 30d` (deletions spread over 60 days), against
#      `git log --diff-filter=D --since=30.days --name-only`.
# Usage: bash bench/history_log.sh [ROUNDS=5] [COMMITS=10000] [VERSIONS=1000]
# Targets (issue 18): tether log within 2x of git log --follow; restore --deleted --list under 2 s.
set -euo pipefail
ROUNDS=${1:-5}
COMMITS=${2:-10000}
VERSIONS=${3:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${KEEP:-$(mktemp -d "${TMPDIR:-/var/tmp}/tether-historybench.XXXXXX")}
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$WORK"' EXIT INT TERM
TETHER="$ROOT/tether"
REPO="$WORK/repo"

"$TETHER" init --locked "$REPO" --description bench >/dev/null
UUID=$(git -C "$REPO" config annex.uuid)

echo "making $COMMITS commits ($VERSIONS versions of docs/report.bin) with git fast-import ..." >&2
python3 - "$COMMITS" "$VERSIONS" "$UUID" > "$WORK/stream" <<'EOF'
import hashlib, sys, time
commits, versions, uuid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
now = int(time.time())
start = now - 60 * 86400                      # history spread over the last 60 days
step = max(1, commits // versions)
out = sys.stdout
def blob(data):
    out.write(f"data {len(data)}\n{data}\n")
def link(path, n):
    h = hashlib.sha256(f"version {n}".encode()).hexdigest()
    key = f"SHA256E-s{1048576 + n}--{h}.bin"
    depth = path.count("/")
    return "../" * depth + f".git/annex/objects/{h[:2]}/{h[2:4]}/{key}/{key}"
alive = []
report = "docs/report.bin"
for i in range(commits):
    when = start + (i * 60 * 86400) // commits
    out.write("commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.invalid> {when} +0000\n")
    msg = f"tether in bench: commit {i}\n\nTether-Node: {uuid}\n"
    out.write(f"data {len(msg)}\n{msg}")
    if i % step == 0 and i // step < versions:
        v = i // step
        content = v
        if v == versions // 2:                   # one rename half-way (same folder, same link: git pairs them)
            out.write(f"D {report}\n")
            report, content = "docs/final-report.bin", v - 1
        out.write(f"M 120000 inline {report}\n")
        blob(link(report, content))
    elif i % 7 == 3 and alive:                 # a deletion now and then
        out.write(f"D {alive.pop(0)}\n")
    else:
        path = f"files/{i % 97}/f{i}.txt"
        out.write(f"M 100644 inline {path}\n")
        blob(f"file {i}\n")
        alive.append(path)
    out.write("\n")
EOF
git -C "$REPO" fast-import --quiet < "$WORK/stream"
git -C "$REPO" reset -q --hard main
git -C "$REPO" gc -q
FILE=docs/final-report.bin
echo "repository: $(git -C "$REPO" rev-list --count HEAD) commits; $FILE has $(git -C "$REPO" log --follow --format=%H -- "$FILE" | wc -l) versions" >&2

now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -a T_GIT T_LOG T_GITD T_DEL
cd "$REPO"
LOGGED=$("$TETHER" log "$FILE" | wc -l)
LISTED=$("$TETHER" restore --deleted --list --since 30d | wc -l)
for ((i = 1; i <= ROUNDS; i++)); do
  t0=$(now); git log --follow -- "$FILE" > /dev/null; t1=$(now); T_GIT+=("$(( t1 - t0 ))")
  t0=$(now); "$TETHER" log "$FILE" > /dev/null; t1=$(now); T_LOG+=("$(( t1 - t0 ))")
  t0=$(now); git log --diff-filter=D --since=30.days --name-only > /dev/null; t1=$(now); T_GITD+=("$(( t1 - t0 ))")
  t0=$(now); "$TETHER" restore --deleted --list --since 30d > /dev/null; t1=$(now); T_DEL+=("$(( t1 - t0 ))")
  echo "round $i: git log --follow $(( T_GIT[-1] / 1000000 )) ms, tether log $(( T_LOG[-1] / 1000000 )) ms;" \
       "git log --diff-filter=D $(( T_GITD[-1] / 1000000 )) ms, tether restore --deleted --list $(( T_DEL[-1] / 1000000 )) ms" >&2
done
M_GIT=$(median "${T_GIT[@]}"); M_LOG=$(median "${T_LOG[@]}")
M_GITD=$(median "${T_GITD[@]}"); M_DEL=$(median "${T_DEL[@]}")
RATIO=$(awk -v a="$M_LOG" -v b="$M_GIT" 'BEGIN {printf "%.2f", a / b}')
echo "tether log: $LOGGED versions listed; median $(( ${M_LOG%.*} / 1000000 )) ms vs git log --follow $(( ${M_GIT%.*} / 1000000 )) ms: ${RATIO}x (target <= 2x)"
echo "tether restore --deleted --list --since 30d: $LISTED deletions; median $(( ${M_DEL%.*} / 1000000 )) ms (target < 2000 ms); git log --diff-filter=D $(( ${M_GITD%.*} / 1000000 )) ms"
