#!/usr/bin/env bash
# External special remotes (issue 16), side by side in one run, through the same helper (Debian's
# git-annex-remote-rclone) to an rclone on-the-fly `:local` remote on this disk:
#   store:    a 1 GiB file, `tether sync` (commit + upload) vs `git annex add` + `git annex copy --to cloud`
#             (tether's upload alone is also read from its --verbose log: "Sending KEY" to "Sent KEY")
#   retrieve: a fresh clone that enables the remote by name, `tether get` vs `git annex get`
#   batch:    1,000 files of 10 KB (annexed by both), `tether sync` vs `git annex add` + `git annex copy --to cloud`
# Usage: bash bench/external_remote.sh [ROUNDS=3] [SIZE_MIB=1024] [FILES=1000]
# Targets: store and retrieve within 1.1x of git-annex; the batch within 1.0x (one helper process kept for many files).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROUNDS="${1:-3}"
SIZE_MIB="${2:-1024}"
FILES="${3:-1000}"
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/tether-extbench.XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM
for tool in git-annex git-annex-remote-rclone rclone; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install git-annex git-annex-remote-rclone rclone)" >&2; exit 1; }
done
T="$ROOT/tether"
"$T" --help >/dev/null 2>&1 # builds it once, outside the timings
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid

now() { date +%s%N; }
ms() { echo $(( $1 / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/big.bin"
mkdir -p "$WORK/batch"
for ((i = 0; i < FILES; i++)); do head -c 10240 /dev/urandom > "$WORK/batch/f$i.dat"; done

# A tether repository and a git-annex one, each with its own rclone store, the same large-file rule (>= 4 KiB annexed).
setup() { # $1 = round
  local r="$WORK/r$1"
  rm -rf "$r"; mkdir -p "$r/ts" "$r/gs"
  "$T" init "$r/t" >/dev/null
  sed -i 's/^\(\s*larger_than:\).*/\1 4KiB/' "$r/t/.tether/config.yml"
  "$T" -C "$r/t" remote add cloud external://rclone --encryption none -c target=:local -c "prefix=$r/ts" >/dev/null
  git -c init.defaultBranch=main init -q "$r/g"
  (cd "$r/g" && git annex init -q bench && git config annex.largefiles 'largerthan=4kb' \
    && git annex initremote -q cloud type=external externaltype=rclone target=:local "prefix=$r/gs" encryption=none >/dev/null 2>&1)
}

declare -a S_T S_TU S_G R_T R_G B_T B_G
for ((i = 1; i <= ROUNDS; i++)); do
  setup "$i"; r="$WORK/r$i"
  cp "$WORK/big.bin" "$r/t/big.bin"; cp "$WORK/big.bin" "$r/g/big.bin"; sync

  t0=$(now); (cd "$r/t" && "$T" sync --verbose > "$r/t.log" 2>&1); t1=$(now); S_T+=("$((t1 - t0))")
  up=$(python3 - "$r/t.log" <<'PY'
import re, sys, datetime
text = open(sys.argv[1]).read()
def at(pattern):
    m = re.search(r"^(\d\d:\d\d:\d\d\.\d+) .*" + pattern, text, re.M)
    return datetime.datetime.strptime(m.group(1), "%H:%M:%S.%f") if m else None
a, b = at(r"Sending SHA256E"), at(r"Sent SHA256E")
print(int((b - a).total_seconds() * 1e9) if a and b else 0)
PY
)
  S_TU+=("$up")
  t0=$(now); (cd "$r/g" && git annex add -q big.bin && git annex copy -q --to cloud big.bin 2>/dev/null); t1=$(now); S_G+=("$((t1 - t0))")

  # Retrieve into fresh clones that enable the remote by name.
  "$T" init "$r/tc" >/dev/null
  "$T" -C "$r/tc" remote add origin "$r/t" >/dev/null
  (cd "$r/tc" && "$T" sync --no-content >/dev/null 2>&1 && "$T" remote enable cloud >/dev/null)
  t0=$(now); (cd "$r/tc" && "$T" get big.bin >/dev/null); t1=$(now); R_T+=("$((t1 - t0))")
  (cd "$r/g" && git commit -qm bench)
  git clone -q "$r/g" "$r/gc"
  (cd "$r/gc" && git annex init -q clone && git annex enableremote -q cloud >/dev/null)
  t0=$(now); (cd "$r/gc" && git annex get -q big.bin 2>/dev/null); t1=$(now); R_G+=("$((t1 - t0))")
  cmp "$WORK/big.bin" "$r/tc/big.bin" && cmp "$WORK/big.bin" "$r/gc/big.bin"

  # The batch: many small annexed files through one helper process.
  cp -r "$WORK/batch" "$r/t/batch"; cp -r "$WORK/batch" "$r/g/batch"; sync
  t0=$(now); (cd "$r/t" && "$T" sync >/dev/null 2>&1); t1=$(now); B_T+=("$((t1 - t0))")
  t0=$(now); (cd "$r/g" && git annex add -q batch && git annex copy -q --to cloud batch 2>/dev/null); t1=$(now); B_G+=("$((t1 - t0))")
  stored_t=$(find "$r/ts" -type f | wc -l); stored_g=$(find "$r/gs" -type f | wc -l)
  echo "round $i: store tether $(ms "${S_T[-1]}") ms (upload $(ms "${S_TU[-1]}") ms), git-annex $(ms "${S_G[-1]}") ms;" \
       "retrieve tether $(ms "${R_T[-1]}") ms, git-annex $(ms "${R_G[-1]}") ms;" \
       "batch tether $(ms "${B_T[-1]}") ms, git-annex $(ms "${B_G[-1]}") ms; objects in the stores: $stored_t / $stored_g" >&2
  rm -rf "$r"
done

echo "median of $ROUNDS (${SIZE_MIB} MiB; ${FILES} x 10 KB), git-annex-remote-rclone to an rclone :local remote:"
echo "  store    tether sync $(ms "$(median "${S_T[@]}")") ms (its upload $(ms "$(median "${S_TU[@]}")") ms), git annex add + copy --to $(ms "$(median "${S_G[@]}")") ms: $(ratio "$(median "${S_T[@]}")" "$(median "${S_G[@]}")")x"
echo "  retrieve tether get $(ms "$(median "${R_T[@]}")") ms, git annex get $(ms "$(median "${R_G[@]}")") ms: $(ratio "$(median "${R_T[@]}")" "$(median "${R_G[@]}")")x"
echo "  batch    tether sync $(ms "$(median "${B_T[@]}")") ms, git annex add + copy --to $(ms "$(median "${B_G[@]}")") ms: $(ratio "$(median "${B_T[@]}")" "$(median "${B_G[@]}")")x"
