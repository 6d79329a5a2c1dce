#!/usr/bin/env bash
# Scale benchmark (issue 22), side by side with plain git on the same tree, in one run:
#   1. first `tether watch` on a tree of FOLDERS x FILES small files (20-200 bytes) plus LARGE files of 1-4 MiB:
#      the time until a local peer's synced/main holds every file, against `git add -A && git commit && git push` of
#      the same tree to a bare peer; the daemon's peak RSS (VmHWM), its RSS and CPU over an idle minute afterwards,
#      and its inotify watch count (from /proc/PID/fdinfo);
#   2. restart with everything committed: from launching `tether watch` until a file written just before is committed
#      (the startup scan done), against a warm `git status` of the same tree.
# Usage: bash bench/scale.sh [FOLDERS=1000] [FILES=1000] [LARGE=1000]    (issue 22's tree: the defaults, 1,000,000 files)
#        bash bench/scale.sh 100 1000 100                                 (100,000 files, a few minutes)
# Targets (issue 22): 1. within 2x of git, peak RSS <= 500 MB, settled RSS <= 300 MB, idle CPU ~ 0;
#                     2. within 1.5x of git status (and under 2 s at 100,000 files).
set -euo pipefail
FOLDERS=${1:-1000}
FILES=${2:-1000}
LARGE=${3:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${KEEP:-$(mktemp -d "${TMPDIR:-/var/tmp}/tether-scalebench.XXXXXX")}
trap '[[ -n "${KEEP:-}" ]] || { chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK" || true; }' EXIT INT TERM
echo "building tether (Release) ..." >&2
dotnet publish "$ROOT/src/Cli/Tether.Cli.csproj" -c Release -o "$WORK/bin" --nologo -v quiet \
  --use-current-runtime --self-contained false -p:PublishReadyToRun=true >&2
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export TETHER="$WORK/bin/tether" WORK FOLDERS FILES LARGE

python3 - <<'PY'
import os, random, re, subprocess, time

T, WORK = os.environ["TETHER"], os.environ["WORK"]
FOLDERS, FILES, LARGE = int(os.environ["FOLDERS"]), int(os.environ["FILES"]), int(os.environ["LARGE"])
TICKS = os.sysconf("SC_CLK_TCK")
TOTAL = FOLDERS * FILES + LARGE

def run(*args, cwd=None):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def out(*args, cwd=None):
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()

def make_tree(root):
    rng = random.Random(22)
    for f in range(FOLDERS):
        folder = os.path.join(root, f"folder {f:04d}")
        os.makedirs(folder)
        for i in range(FILES):
            with open(os.path.join(folder, f"note {i:04d}.txt"), "wb") as fh:
                fh.write(rng.randbytes(rng.randint(10, 100)).hex().encode())
    large = os.path.join(root, "large")
    os.makedirs(large)
    for i in range(LARGE):
        with open(os.path.join(large, f"blob {i:04d}.bin"), "wb") as fh:
            fh.write(rng.randbytes(rng.randint(1 << 20, 4 << 20)))

def proc(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"): return int(line.split()[1]) // 1024  # MiB
    return 0

def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS

def inotify_watches(pid):
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fdinfo"):
        try: count += sum(1 for l in open(f"/proc/{pid}/fdinfo/{fd}") if l.startswith("inotify wd:"))
        except OSError: pass
    return count

def files_in(repo, ref):
    return int(subprocess.run(f"git ls-tree -r --name-only {ref} | wc -l", shell=True, cwd=repo, capture_output=True, text=True).stdout)

def wait_until(predicate, limit, step=0.5, daemon=None):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate(): return True
        if daemon is not None and daemon.poll() is not None:
            raise SystemExit(f"tether watch exited ({daemon.returncode}); see {WORK}/local/.git/tether/daemon.log")
        time.sleep(step)
    raise SystemExit("timed out")

# The floor: plain git on the same tree.
floor = os.path.join(WORK, "git"); os.makedirs(floor)
print(f"making the tree ({TOTAL:,} files) twice ...", flush=True)
make_tree(floor)
run("git", "init", "-q", "-b", "main", cwd=floor)
run("git", "init", "-q", "--bare", os.path.join(WORK, "git-peer.git"))
began = time.monotonic()
run("git", "add", "-A", cwd=floor); run("git", "commit", "-q", "-m", "all", cwd=floor)
run("git", "push", "-q", os.path.join(WORK, "git-peer.git"), "main", cwd=floor)
git_first = time.monotonic() - began
run("git", "status", "--porcelain", cwd=floor)  # warm
began = time.monotonic(); run("git", "status", "--porcelain", cwd=floor); git_status = time.monotonic() - began

# Tether on its own copy of the tree.
local, peer = os.path.join(WORK, "local"), os.path.join(WORK, "peer")
run(T, "init", "--description", "peer", peer)
os.makedirs(local); make_tree(local)
run(T, "init", "--description", "local", local)
run(T, "remote", "add", "peer", peer, cwd=local)
config = os.path.join(local, ".tether", "config.yml")
text = open(config).read()
open(config, "w").write(re.sub(r"^web:\n(  .*\n)*", "web: off\n", text, flags=re.M))  # no dashboard: the daemon alone
began = time.monotonic()
daemon = subprocess.Popen([T, "watch"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def pushed():
    ref = subprocess.run(["git", "rev-parse", "-q", "--verify", "refs/heads/synced/main"], cwd=peer, capture_output=True, text=True).stdout.strip()
    return bool(ref) and files_in(peer, ref) >= TOTAL
wait_until(pushed, 3600, step=1.0, daemon=daemon)
tether_first = time.monotonic() - began
def objects(repo):
    return sum(len(files) for _, _, files in os.walk(os.path.join(repo, ".git", "annex", "objects")))
wait_until(lambda: objects(peer) >= LARGE, 3600, step=1.0, daemon=daemon)  # the large files' content too
content_done = time.monotonic() - began
time.sleep(10)
peak = proc(daemon.pid, "VmHWM")
before = cpu(daemon.pid); time.sleep(60); idle = cpu(daemon.pid) - before
settled = proc(daemon.pid, "VmRSS")
watches = inotify_watches(daemon.pid)
subprocess.run([T, "stop"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); daemon.wait(300)

# Restart with everything committed: a file written while stopped, committed by the startup scan.
with open(os.path.join(local, "folder 0000", "written while stopped.txt"), "w") as fh: fh.write("new\n")
began = time.monotonic()
daemon = subprocess.Popen([T, "watch"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_until(lambda: subprocess.run(["git", "cat-file", "-e", "HEAD:folder 0000/written while stopped.txt"], cwd=local,
                                  stderr=subprocess.DEVNULL).returncode == 0, 600, step=0.05, daemon=daemon)
restart = time.monotonic() - began
subprocess.run([T, "stop"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); daemon.wait(300)

print(f"tree: {FOLDERS} folders x {FILES} small files + {LARGE} files of 1-4 MiB = {TOTAL:,} files")
print(f"first watch, committed and in the peer's synced/main: tether {tether_first:.1f} s, git add+commit+push {git_first:.1f} s, "
      f"ratio {tether_first / git_first:.2f} (target <= 2); the large files' content in the peer after {content_done:.1f} s")
print(f"daemon memory: peak RSS {peak} MiB (target <= 500), settled RSS {settled} MiB (target <= 300); "
      f"idle CPU {idle:.2f} s over 60 s; inotify watches {watches}")
print(f"restart until a file written while stopped is committed: tether {restart:.2f} s, warm git status {git_status:.2f} s, "
      f"ratio {restart / git_status:.2f} (target <= 1.5)")
PY
