#!/usr/bin/env bash
# Ingest of one large unlocked file, side by side in one run:
#   tether sync        (hash + object copy, reflink where the filesystem can, + commit) in an unlocked repository
#   git annex add      of the same file in an unlocked git-annex v10 repository (annex.addunlocked=true)
#   openssl + cp       `openssl dgst -sha256` then `cp` of the file, back to back (the floor)
# then, as root with mkfs.xfs (xfsprogs), the same on a loop-mounted xfs image with reflink=1, where the object is a
# reflink (FICLONE) and the floor is the hash alone (`openssl dgst -sha256`).
# "tether ingest" is `tether sync` of the file minus `tether sync` of a one-line change in the same repository (the
# process start, plugin load and commit that any sync pays), i.e. the hash + object copy + staging.
# Usage: bash bench/unlocked_ingest.sh [ROUNDS=3] [SIZE_MIB=1024] [DIR=/var/tmp]
# Targets (issue 15): tether <= 0.5x git annex add, <= 1.2x openssl + cp; on reflink: ingest <= 1.1x the hash.
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
declare -a T_FLOOR T_TETHER T_ANNEX T_BASE
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
  echo "round $i" >> "$WORK/t/small.txt"
  t0=$(now); (cd "$WORK/t" && "${TETHER[@]}" sync >/dev/null); t1=$(now)
  T_BASE+=("$(( t1 - t0 ))")
  t0=$(now); (cd "$WORK/g" && git annex add -q big.bin && sync); t1=$(now)
  T_ANNEX+=("$(( t1 - t0 ))")
  git -C "$WORK/t" cat-file -p HEAD:big.bin | grep -q '^/annex/objects/SHA256E-' || { echo "tether did not commit an unlocked pointer" >&2; exit 1; }
  echo "round $i: openssl+cp $(ms "${T_FLOOR[-1]}") ms, tether sync $(ms "${T_TETHER[-1]}") ms (a one-line sync $(ms "${T_BASE[-1]}") ms), git annex add $(ms "${T_ANNEX[-1]}") ms" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
M_FLOOR=$(median "${T_FLOOR[@]}"); M_TETHER=$(median "${T_TETHER[@]}"); M_ANNEX=$(median "${T_ANNEX[@]}"); M_BASE=$(median "${T_BASE[@]}")
M_INGEST=$(( M_TETHER - M_BASE ))
echo "median of $ROUNDS, ${SIZE_MIB} MiB on $(df --output=fstype "$WORK" | tail -1):"
echo "  openssl dgst + cp : $(ms "$M_FLOOR") ms"
echo "  tether sync       : $(ms "$M_TETHER") ms  ($(awk -v a="$M_TETHER" -v b="$M_FLOOR" 'BEGIN {printf "%.2f", a / b}')x openssl+cp)"
echo "  git annex add     : $(ms "$M_ANNEX") ms  (tether = $(awk -v a="$M_TETHER" -v b="$M_ANNEX" 'BEGIN {printf "%.2f", a / b}')x)"
echo "  tether ingest     : $(ms "$M_INGEST") ms  ($(awk -v a="$M_INGEST" -v b="$M_FLOOR" 'BEGIN {printf "%.2f", a / b}')x openssl+cp; sync minus a one-line sync of $(ms "$M_BASE") ms)"

# On a reflink-capable filesystem: the object is a clone, so the floor is the hash alone.
if ((EUID != 0)) || ! command -v mkfs.xfs >/dev/null; then
  echo "reflink: skipped (needs root and mkfs.xfs from xfsprogs)"
  exit 0
fi
IMG="$WORK/xfs.img"; MNT="$WORK/xfs"
truncate -s "$(( SIZE_MIB * 3 + 512 ))M" "$IMG"
mkfs.xfs -q -m reflink=1 "$IMG"
mkdir -p "$MNT"; mount -o loop "$IMG" "$MNT"
trap 'umount "$MNT" 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM
cp "$WORK/source.bin" "$MNT/source.bin"
declare -a R_HASH R_TETHER R_BASE R_SPACE
for ((i = 1; i <= ROUNDS; i++)); do
  rm -rf "$MNT/t"
  "${TETHER[@]}" init "$MNT/t" >/dev/null
  cp --reflink=never "$MNT/source.bin" "$MNT/t/big.bin"
  cat "$MNT/t/big.bin" > /dev/null; sync
  t0=$(now); openssl dgst -sha256 "$MNT/t/big.bin" >/dev/null; t1=$(now)
  R_HASH+=("$(( t1 - t0 ))")
  used0=$(df --output=used -B1M "$MNT" | tail -1)
  t0=$(now); (cd "$MNT/t" && "${TETHER[@]}" sync >/dev/null); t1=$(now)
  R_TETHER+=("$(( t1 - t0 ))")
  used1=$(df --output=used -B1M "$MNT" | tail -1)
  R_SPACE+=("$(( used1 - used0 ))")
  echo "round $i" >> "$MNT/t/small.txt"
  t0=$(now); (cd "$MNT/t" && "${TETHER[@]}" sync >/dev/null); t1=$(now)
  R_BASE+=("$(( t1 - t0 ))")
  echo "reflink round $i: openssl dgst $(ms "${R_HASH[-1]}") ms, tether sync $(ms "${R_TETHER[-1]}") ms (a one-line sync $(ms "${R_BASE[-1]}") ms), space the object took ${R_SPACE[-1]} MiB" >&2
done
M_HASH=$(median "${R_HASH[@]}"); M_RT=$(median "${R_TETHER[@]}"); M_RB=$(median "${R_BASE[@]}"); M_RI=$(( M_RT - M_RB ))
echo "median of $ROUNDS, ${SIZE_MIB} MiB on xfs (reflink=1, loop image on $(df --output=fstype "$WORK" | tail -1)):"
echo "  openssl dgst      : $(ms "$M_HASH") ms"
echo "  tether sync       : $(ms "$M_RT") ms  ($(awk -v a="$M_RT" -v b="$M_HASH" 'BEGIN {printf "%.2f", a / b}')x the hash)"
echo "  tether ingest     : $(ms "$M_RI") ms  ($(awk -v a="$M_RI" -v b="$M_HASH" 'BEGIN {printf "%.2f", a / b}')x the hash); space per object: $(median "${R_SPACE[@]}") MiB"
