#!/usr/bin/env bash
# Encrypted store (issue 17 part 1), side by side in one run, each tool to its own rsync special remote on this disk
# with encryption=shared (gpg symmetric, git-annex's cipher and HMACSHA1 names):
#   tether:   `tether sync` of one N MiB file (commit + encrypt + upload); its upload alone is read from the --verbose
#             log ("Sending KEY" to "Sent KEY")
#   annex:    `git annex add` + `git annex copy --to enc` of the same file
#   baseline: the encryption alone, `gpg --symmetric` with the same options reading the file, then `rsync` of the result
# and then each tool reads the other's remote back (cmp), so the figure is of a working round trip.
# Usage: bash bench/encrypted_store.sh [ROUNDS=3] [SIZE_MIB=256]
# Target (issue 17): the store within 1.2x of gpg + rsync.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROUNDS="${1:-3}"
SIZE_MIB="${2:-256}"
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/tether-encbench.XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM
for tool in git-annex gpg rsync; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install git-annex gnupg rsync)" >&2; exit 1; }
done
T="$ROOT/tether"
"$T" --help >/dev/null 2>&1 # builds it once, outside the timings
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GNUPGHOME="$WORK/gnupg" # shared encryption needs no key; a home of its own keeps the user's untouched
mkdir -m 700 "$GNUPGHOME"

now() { date +%s%N; }
ms() { echo $(( $1 / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/big.bin"
head -c 684 /dev/urandom | base64 -w0 > "$WORK/pass"

declare -a S_T S_TU S_G S_B
for ((i = 1; i <= ROUNDS; i++)); do
  r="$WORK/r$i"; rm -rf "$r"; mkdir -p "$r/ts" "$r/gs" "$r/bs"
  "$T" init "$r/t" >/dev/null
  "$T" -C "$r/t" remote add enc "$r/ts" --backend rsync --encryption shared >/dev/null
  git -c init.defaultBranch=main init -q "$r/g"
  (cd "$r/g" && git annex init -q bench && git annex initremote -q enc type=rsync "rsyncurl=$r/gs" encryption=shared >/dev/null 2>&1)
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
  t0=$(now); (cd "$r/g" && git annex add -q big.bin && git annex copy -q --to enc big.bin 2>/dev/null); t1=$(now); S_G+=("$((t1 - t0))")
  t0=$(now)
  (cat "$WORK/pass"; echo; cat "$WORK/big.bin") | gpg --batch --quiet --passphrase-fd 0 --symmetric --force-mdc --no-textmode --output "$r/big.gpg"
  rsync -q "$r/big.gpg" "$r/bs/"
  t1=$(now); S_B+=("$((t1 - t0))")

  # Each reads the other's store back: git-annex what tether stored, tether what git-annex stored.
  n_t=$(find "$r/ts" -type f -name 'GPGHMACSHA1--*' | wc -l); n_g=$(find "$r/gs" -type f -name 'GPGHMACSHA1--*' | wc -l)
  [ "$n_t" = 1 ] && [ "$n_g" = 1 ] || { echo "round $i: expected one encrypted object in each store, found $n_t / $n_g" >&2; exit 1; }
  (cd "$r/t" && git annex drop -q --force big.bin && git annex enableremote -q enc >/dev/null 2>&1 && git annex get -q --from enc big.bin 2>/dev/null)
  cmp "$WORK/big.bin" "$r/t/big.bin"
  (cd "$r/g" && git commit -qm bench && "$T" remote enable enc >/dev/null && git annex drop -q --force big.bin && "$T" get big.bin >/dev/null)
  cmp "$WORK/big.bin" "$r/g/big.bin"
  echo "round $i: tether sync $(ms "${S_T[-1]}") ms (upload $(ms "${S_TU[-1]}") ms), git annex add + copy $(ms "${S_G[-1]}") ms, gpg + rsync $(ms "${S_B[-1]}") ms" >&2
  rm -rf "$r"
done

echo "median of $ROUNDS (${SIZE_MIB} MiB, encryption=shared rsync remote on this disk):"
echo "  tether sync $(ms "$(median "${S_T[@]}")") ms (its encrypt + upload $(ms "$(median "${S_TU[@]}")") ms)"
echo "  git annex add + copy --to $(ms "$(median "${S_G[@]}")") ms"
echo "  gpg --symmetric + rsync $(ms "$(median "${S_B[@]}")") ms"
echo "  tether sync / git annex: $(ratio "$(median "${S_T[@]}")" "$(median "${S_G[@]}")")x; tether upload / gpg + rsync: $(ratio "$(median "${S_TU[@]}")" "$(median "${S_B[@]}")")x"
