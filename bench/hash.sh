#!/usr/bin/env bash
# Hashing benchmark: Tether's KeyHasher vs `openssl dgst -sha256` on a 1 GiB file.
# Usage: bash bench/hash.sh [ROUNDS=5] [SIZE_MIB=1024]
# Target (issue): KeyHasher's median within 1.5x of openssl's.
set -euo pipefail
ROUNDS=${1:-5}
SIZE_MIB=${2:-1024}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/tether-hashbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
FILE="$WORK/big.bin"

echo "building HashBench (Release)..." >&2
dotnet build -c Release --nologo -v q "$ROOT/bench/HashBench/HashBench.csproj" -o "$WORK/hb" >&2
HB=(dotnet "$WORK/hb/HashBench.dll")

echo "creating ${SIZE_MIB} MiB random file in $WORK ..." >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$FILE"
sync
cat "$FILE" > /dev/null   # warm the page cache
BYTES=$(stat -c %s "$FILE")

now() { date +%s%N; }
declare -a T_OSSL T_HB_PROC T_HB_IN
for ((i = 1; i <= ROUNDS; i++)); do
  t0=$(now); o=$(openssl dgst -sha256 "$FILE"); t1=$(now)
  T_OSSL+=("$(( t1 - t0 ))")
  t0=$(now); out=$("${HB[@]}" "$FILE" 1); t1=$(now)
  T_HB_PROC+=("$(( t1 - t0 ))")
  # in-process time (excludes runtime start-up and JIT of Main)
  T_HB_IN+=("$(awk '/^round/ {printf "%d", $3 * 1e9}' <<<"$out")")
  ohex=${o##* }; khex=$(awk '/^key/ {print $2}' <<<"$out"); khex=${khex##*--}; khex=${khex%%.*}
  [[ "$ohex" == "$khex" ]] || { echo "hash mismatch: openssl=$ohex tether=$khex" >&2; exit 1; }
  echo "round $i: openssl $(( T_OSSL[-1] / 1000000 )) ms, HashBench process $(( T_HB_PROC[-1] / 1000000 )) ms (in-process $(( T_HB_IN[-1] / 1000000 )) ms)" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
M_OSSL=$(median "${T_OSSL[@]}")
M_PROC=$(median "${T_HB_PROC[@]}")
M_IN=$(median "${T_HB_IN[@]}")

row() { awk -v name="$1" -v ns="$2" -v ref="$M_OSSL" -v b="$BYTES" \
  'BEGIN {printf "| %-38s | %8.3f | %8.0f | %5.2fx |\n", name, ns / 1e9, b / (ns / 1e9) / 1e6, ns / ref}'; }
echo
echo "file: $SIZE_MIB MiB, page cache warm, $ROUNDS alternating rounds, medians"
echo "| tool                                   | median s |     MB/s | ratio  |"
echo "|----------------------------------------|----------|----------|--------|"
row "openssl dgst -sha256" "$M_OSSL"
row "KeyHasher (process, incl. start-up)" "$M_PROC"
row "KeyHasher (in-process)" "$M_IN"
