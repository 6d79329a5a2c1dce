#!/usr/bin/env bash
# Ingest of one large unlocked file, side by side in one run:
#   tether sync        (hash + object copy, reflink where the filesystem can, + commit) in an unlocked repository
#   git annex add      of the same file in an unlocked git-annex v10 repository (annex.addunlocked=true)
#   openssl + cp       `openssl dgst -sha256` then `cp` of the file, back to back (the floor)
# Usage: bash bench/unlocked_ingest.sh [ROUNDS=3] [SIZE_MIB=1024] [DIR=/var/tmp]
# Targets (issue 15): tether <= 0.5x git annex add, <= 1.2x openssl + cp.
set -euo pipefail
ROUNDS=${1:-3}
SIZE_MIB=${2:-1024}
BASE=${3:-${TMPDIR:-/var/tmp}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "$BASE/tether-ingestbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

echo "building tether (Release)..." >&2
dotnet publish -c Release --nologo -v q "$ROOT/src/Cli/Tether.Cli.csproj" -o "$WORK/bin" >&2
TETHER=("$WORK/bin/tether")
[[ -x "${TETHER[0]}" ]] || TETHER=(dotnet "$WORK/bin/tether.dll")

echo "creating a ${SIZE_MIB} MiB random file in $WORK ..." >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/source.bin"
sync

now() { date +%s%N; }
ms() { echo $(( $1 / 1000000 )); }
declare -a T_FLOOR T_TETHER T_ANNEX
for ((i = 1; i <= ROUNDS; i++)); do
  rm -rf "$WORK/t" "$WORK/g" "$WORK/copy.bin"
  "${TETHER[@]}" init "$WORK/t" >/dev/null
  git -c init.defaultBranch=main init -q "$WORK/g"
  (cd "$WORK/g" && git annex init -q bench && git config annex.addunlocked true)
  cp "$WORK/source.bin" "$WORK/t/big.bin"
  cp "$WORK/source.bin" "$WORK/g/big.bin"
  cat "$WORK/source.bin" > /dev/null; sync  # all three start from a warm page cache and a clean disk

  t0=$(now); openssl dgst -sha256 "$WORK/source.bin" >/dev/null; cp "$WORK/source.bin" "$WORK/copy.bin"; sync "$WORK/copy.bin"; t1=$(now)
  T_FLOOR+=("$(( t1 - t0 ))")
  t0=$(now); (cd "$WORK/t" && "${TETHER[@]}" sync >/dev/null); t1=$(now)
  T_TETHER+=("$(( t1 - t0 ))")
  t0=$(now); (cd "$WORK/g" && git annex add -q big.bin && sync); t1=$(now)
  T_ANNEX+=("$(( t1 - t0 ))")
  git -C "$WORK/t" cat-file -p HEAD:big.bin | grep -q '^/annex/objects/SHA256E-' || { echo "tether did not commit an unlocked pointer" >&2; exit 1; }
  echo "round $i: openssl+cp $(ms "${T_FLOOR[-1]}") ms, tether sync $(ms "${T_TETHER[-1]}") ms, git annex add $(ms "${T_ANNEX[-1]}") ms" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
M_FLOOR=$(median "${T_FLOOR[@]}"); M_TETHER=$(median "${T_TETHER[@]}"); M_ANNEX=$(median "${T_ANNEX[@]}")
echo "median of $ROUNDS, ${SIZE_MIB} MiB on $(df --output=fstype "$WORK" | tail -1):"
echo "  openssl dgst + cp : $(ms "$M_FLOOR") ms"
echo "  tether sync       : $(ms "$M_TETHER") ms  ($(awk -v a="$M_TETHER" -v b="$M_FLOOR" 'BEGIN {printf "%.2f", a / b}')x openssl+cp)"
echo "  git annex add     : $(ms "$M_ANNEX") ms  (tether = $(awk -v a="$M_TETHER" -v b="$M_ANNEX" 'BEGIN {printf "%.2f", a / b}')x)"
