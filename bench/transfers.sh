#!/usr/bin/env bash
# Transfer benchmark (issue 5): a 1 GiB file
#   - through the rsync backend (tether sync to an rsync remote on a local path) vs plain `rsync` to the same disk,
#   - through the ssh backend (tether sync to a repository over ssh, content via `tether shell`) vs plain `scp`,
#     both to a throwaway sshd on 127.0.0.1.
# Each tether sync figure is a whole `tether sync REMOTE` process (start-up, git fetch/push, then the content upload);
# each backend's own transfer is also timed from the sync's --verbose log ("Sending KEY" to "Sent KEY": the
# upload, the remote's verification, fsync and location log), and a download is timed as a whole `tether get`
# (start-up, ssh session, transfer, local verification) against a plain `scp` download.
# Usage: bash bench/transfers.sh [ROUNDS=5] [SIZE_MIB=1024]      (needs rsync, openssh-server, openssh-client)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-5}"
size_mib="${2:-1024}"
work="$(mktemp -d "${TMPDIR:-/var/tmp}/tether-bench.XXXXXX")"
sshd_pid=""
cleanup() { [[ -n "$sshd_pid" ]] && kill "$sshd_pid" 2>/dev/null || true; chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "building tether (Release) ..." >&2
dotnet publish "$root/src/Cli/Tether.Cli.csproj" -c Release -o "$work/bin" --nologo -v quiet \
  --use-current-runtime --self-contained false -p:PublishReadyToRun=true >&2 # as ./tether builds it
T="$work/bin/tether"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid

# A loopback sshd with throwaway keys; `tether` on its PATH is the one just built.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$work/ssh/bin" /run/sshd
ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/client_key"
cp "$work/ssh/client_key.pub" "$work/ssh/authorized_keys"
echo "[127.0.0.1]:$port $(cat "$work/ssh/host_key.pub")" > "$work/ssh/known_hosts"
ln -s "$T" "$work/ssh/bin/tether"
cat > "$work/ssh/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $work/ssh/host_key
PidFile $work/ssh/sshd.pid
AuthorizedKeysFile $work/ssh/authorized_keys
PermitRootLogin yes
StrictModes no
PasswordAuthentication no
UsePAM no
SetEnv SHLVL=1 PATH=$work/ssh/bin:/usr/local/bin:/usr/bin:/bin DOTNET_ROOT=${DOTNET_ROOT:-/usr/share/dotnet}
Subsystem sftp internal-sftp
CFG
cat > "$work/ssh/config" <<CFG
Host bench
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $work/ssh/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $work/ssh/known_hosts
CFG
/usr/sbin/sshd -D -f "$work/ssh/sshd_config" & sshd_pid=$!
for _ in $(seq 50); do ssh -F "$work/ssh/config" -o BatchMode=yes bench true 2>/dev/null && break; sleep 0.1; done
export TETHER_SSH_CONFIG="$work/ssh/config"

echo "writing ${size_mib} MiB of random data and committing it ..." >&2
"$T" init "$work/a" --description bench >/dev/null
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/a/big.bin"
"$T" -C "$work/a" sync >/dev/null
content="$(readlink -f "$work/a/big.bin")"
cat "$content" > /dev/null # warm the page cache

now() { date +%s.%N; }
# Seconds between the first log line containing $2 and the first containing $3 (HH:MM:SS.fff timestamps).
phase() { awk -v a="$2" -v b="$3" 'function t(s) { split(s, p, ":"); return p[1]*3600 + p[2]*60 + p[3] }
  index($0, a) && !x { x = t($1) } index($0, b) && !y { y = t($1) } END { printf "%.3f", y - x }' "$1"; }
declare -A times
# Dirty pages from the previous run are flushed first (`sync`), so no run pays for another's write-back.
run() { local name="$1"; shift; sync; local t0; t0="$(now)"; "$@" >/dev/null; times[$name]+="$(echo "$(now) - $t0" | bc) "; }

for i in $(seq "$rounds"); do
  echo "round $i/$rounds" >&2
  "$T" -C "$work/a" remote add "store$i" "$work/store$i" --backend rsync >/dev/null
  sync; t0="$(now)"; "$T" -C "$work/a" sync "store$i" -v > "$work/rsync$i.log" 2>&1; times[rsync_backend]+="$(echo "$(now) - $t0" | bc) "
  times[rsync_transfer]+="$(phase "$work/rsync$i.log" "Sending SHA256E" "Sent SHA256E") "
  mkdir -p "$work/plain$i"
  run rsync_plain rsync --partial --append-verify "$content" "$work/plain$i/big.bin"

  "$T" init "$work/server$i" >/dev/null
  "$T" -C "$work/a" remote add "server$i" "bench:$work/server$i" >/dev/null
  sync; t0="$(now)"; "$T" -C "$work/a" sync "server$i" -v > "$work/sync$i.log" 2>&1; times[ssh_backend]+="$(echo "$(now) - $t0" | bc) "
  times[ssh_transfer]+="$(phase "$work/sync$i.log" "Sending SHA256E" "Sent SHA256E") "
  mkdir -p "$work/scp$i"
  run scp_plain scp -q -F "$work/ssh/config" "$content" "bench:$work/scp$i/big.bin"
  "$T" -C "$work/a" drop big.bin >/dev/null # the server holds a copy: get it back through the ssh backend
  run ssh_get "$T" -C "$work/a" get big.bin
  run scp_get scp -q -F "$work/ssh/config" "bench:$work/scp$i/big.bin" "$work/scp-download$i.bin"
  rm -f "$work/scp-download$i.bin"
  rm -rf "$work/store$i" "$work/plain$i" "$work/scp$i"; chmod -R u+w "$work/server$i"; rm -rf "$work/server$i"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-44s %9s %9s %7s\n' "transfer of ${size_mib} MiB" "median s" "MB/s" "ratio"
row() { local m; m="$(echo "${times[$1]}" | median)"; printf '%-44s %9.3f %9.0f %6.2fx\n' "$2" "$m" "$(echo "$size_mib * 1.048576 / $m" | bc -l)" "$(echo "$m / $3" | bc -l)"; }
base_rsync="$(echo "${times[rsync_plain]}" | median)"
base_scp="$(echo "${times[scp_plain]}" | median)"
row rsync_plain "rsync (plain, local path)" "$base_rsync"
row rsync_backend "tether sync -> rsync remote (whole sync)" "$base_rsync"
row rsync_transfer "  of which the rsync backend's upload" "$base_rsync"
row scp_plain "scp (loopback sshd)" "$base_scp"
row ssh_backend "tether sync -> ssh remote (whole sync)" "$base_scp"
row ssh_transfer "  of which the ssh backend's upload" "$base_scp"
base_scp_get="$(echo "${times[scp_get]}" | median)"
row scp_get "scp download (loopback sshd)" "$base_scp_get"
row ssh_get "tether get <- ssh remote (whole command)" "$base_scp_get"
