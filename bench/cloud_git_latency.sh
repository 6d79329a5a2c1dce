#!/usr/bin/env bash
# Git through a content remote (issue 17): a one-line change saved on A, timed until B's work tree holds the same
# bytes, with `tether watch` on A and B and no `tether sync`, side by side in one run:
#   cloud: A and B share nothing but an rsync remote (a folder on this disk) with encryption=shared and the git level
#          riding on it (--git): the change goes up as an encrypted git bundle and manifest, and B learns of it only by
#          reading the manifest, every pull_interval (a cloud cannot tell it)
#   ssh:   A and B are each other's remote over ssh to 127.0.0.1 (a throwaway sshd, bench/notify_latency.py's; root
#          only, skipped otherwise): A pushes into B's synced/main, B's daemon sees the ref move and merges
#   local: the same with local paths, no ssh
# Each path: fresh repositories, both daemons started, a sentinel through both ways, then SAMPLES changes (one line of a
# 20-line notes.txt rewritten in place, as an editor saves), each followed by a random pause of 2-4 s (cloud: plus 0 to
# pull_interval, so that a change lands anywhere in B's polling period, not just after its last read), then 30 s of nothing
# to sync. Prints median, p95 and max per path, the two daemons' CPU over the idle 30 s (what polling the manifest
# costs), and where the cloud path's time goes (the daemons' --verbose logs, millisecond timestamps).
# Usage: bash bench/cloud_git_latency.sh [SAMPLES=10] [PULL_INTERVAL=1m]
#   PULL_INTERVAL: the cloud nodes' pull_interval (default: the config's default, 1m), e.g. 1s
#   ONLY=cloud|ssh|local: one path only; KEEP=DIR: keep the repositories and logs there
# Goal (issue 17): the cloud path's median under 3 s (reported against the ssh path).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export SAMPLES="${1:-10}" PULL_INTERVAL="${2:-}" ONLY="${ONLY:-}"
for tool in rsync gpg git python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install rsync gnupg git python3)" >&2; exit 1; }
done
export WORK="${KEEP:-$(mktemp -d "${TMPDIR:-/var/tmp}/tether-cloudgit.XXXXXX")}"
mkdir -p "$WORK"
[[ -n "${KEEP:-}" ]] || trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK" || true' EXIT INT TERM
echo "building tether (launcher) ..." >&2
"$ROOT/tether" --help >/dev/null 2>&1 # builds it once, outside the timings
export TETHER="$ROOT/artifacts/tether/tether" BENCH="$ROOT/bench"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GNUPGHOME="$WORK/gnupg" # shared encryption needs no key; a home of its own keeps the user's untouched
mkdir -p -m 700 "$GNUPGHOME"

python3 - <<'PY'
import os, random, re, shutil, statistics, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, os.environ["BENCH"])
from notify_latency import HOST, Sshd, pct, read_daemon_log, started_here, stop_group

T, WORK, SAMPLES = os.environ["TETHER"], Path(os.environ["WORK"]), int(os.environ["SAMPLES"])
PULL, ONLY = os.environ["PULL_INTERVAL"], os.environ["ONLY"]
LINES = 20

def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

def run(*args, env=None):
    r = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    if r.returncode != 0: raise SystemExit(f"{' '.join(map(str, args))} failed ({r.returncode}): {(r.stderr or r.stdout).strip()}")
    return r.stdout

def seconds(duration):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", duration)
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)] if m else 60

def configure(repo, pull=None):
    config = repo / ".tether" / "config.yml"
    text = re.sub(r"^web:\n(  .*\n)*", "web: off\n", config.read_text(), flags=re.M)  # the daemons alone
    if pull: text = text.replace("pull_interval: 1m", f"pull_interval: {pull}")
    config.write_text(text)

class Path_:
    """One way for A's change to reach B: its repositories, environment and daemons."""
    def __init__(self, name, env=None):
        self.name, self.env, self.daemons = name, env or dict(os.environ), []
        self.dir = WORK / name
        self.a, self.b = self.dir / "a", self.dir / "b"
        for repo in (self.a, self.b): run(T, "init", str(repo), "--description", f"{name}-{repo.name}", env=self.env)

    def start(self):
        for repo in (self.a, self.b):
            out = open(self.dir / f"{repo.name}.console.log", "wb")
            self.daemons.append(subprocess.Popen([T, "-C", str(repo), "watch", "--verbose"], env=self.env, stdout=out,
                                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True))

    def alive(self):
        for d, repo in zip(self.daemons, (self.a, self.b)):
            if d.poll() is not None: raise SystemExit(f"{self.name}: tether watch in {repo} exited {d.returncode}; see {self.dir}/{repo.name}.console.log")

    def stop(self):
        for repo, d in zip((self.a, self.b), self.daemons):
            subprocess.run([T, "-C", str(repo), "stop"], env=self.env, capture_output=True, timeout=60)
        for d in self.daemons:
            try: d.wait(30)
            except subprocess.TimeoutExpired: stop_group(d)

    def warnings(self):
        return [f"{repo.name}: {line[31:]}" for repo in (self.a, self.b) for _, line in read_daemon_log(repo / ".git" / "tether" / "daemon.log")
                if "[WRN]" in line or "[ERR]" in line]

def cloud():
    p = Path_("cloud")
    run(T, "-C", str(p.a), "remote", "add", "cloud", str(p.dir / "store"), "--backend", "rsync", "--encryption", "shared", "--git", env=p.env)
    url = run(T, "-C", str(p.a), "remote", "info", "cloud", "--url", env=p.env).strip()
    run(T, "-C", str(p.b), "remote", "add", "cloud", url, env=p.env)
    for repo in (p.a, p.b): configure(repo, PULL)
    return p

def peers(name, address, env=None):
    p = Path_(name, env)
    run(T, "-C", str(p.a), "remote", "add", "b", address(p.b), env=p.env)
    run(T, "-C", str(p.b), "remote", "add", "a", address(p.a), env=p.env)
    for repo in (p.a, p.b): configure(repo)
    return p

def wait_bytes(repo, rel, data, t0, limit, path):
    while True:
        try:
            if (repo / rel).read_bytes() == data: return time.monotonic() - t0
        except OSError: pass
        if time.monotonic() - t0 > limit: return None
        path.alive()
        time.sleep(0.01)

def measure(path, limit, poll=0.0):
    notes = [f"line {i}: as written at the start\n" for i in range(LINES)]
    path.start()
    t0 = time.monotonic()
    for src, dst, rel in ((path.a, path.b, "notes.txt"), (path.b, path.a, "from-b.txt")):
        data = "".join(notes).encode() if rel == "notes.txt" else f"ready {random.getrandbits(64):016x}\n".encode()
        (src / rel).write_bytes(data)
        if wait_bytes(dst, rel, data, time.monotonic(), 3 * limit, path) is None:
            raise SystemExit(f"{path.name}: {rel} did not reach {dst} within {3 * limit:.0f} s; logs in {path.dir} (KEEP=DIR keeps them)")
    log(f"{path.name}: ready in {time.monotonic() - t0:.1f} s (a file through both ways); {SAMPLES} samples")
    samples = []
    time.sleep(random.uniform(2, 4))
    for i in range(1, SAMPLES + 1):
        notes[random.randrange(LINES)] = f"line changed by sample {i}: {random.getrandbits(96):024x}\n"
        data = "".join(notes).encode()
        wall, t0 = time.time(), time.monotonic()
        with open(path.a / "notes.txt", "r+b") as f:  # in place, as an editor saves
            f.write(data); f.truncate()
        took = wait_bytes(path.b, "notes.txt", data, t0, limit, path)
        samples.append((wall, took))
        log(f"{path.name}: sample {i}: " + (f"{took * 1000:.0f} ms" if took is not None else f"TIMEOUT (> {limit:.0f} s)"))
        if took is None: raise SystemExit(f"{path.name}: sample {i} did not reach B within {limit:.0f} s; logs in {path.dir}")
        time.sleep(random.uniform(2, 4) + random.uniform(0, poll))  # a change lands anywhere in B's polling period
    return samples

def cloud_breakdown(path, samples):
    """Each sample split at the daemons' log lines: A's commit; A's bundle and manifest stored; B's next read of the
    manifest (the periodic pull that fetched it); B's fetch, unbundle and fast-forward; B's work tree (the bench's clock)."""
    a = read_daemon_log(path.a / ".git" / "tether" / "daemon.log")
    b = read_daemon_log(path.b / ".git" / "tether" / "daemon.log")
    first = lambda lines, after, text: next((ts for ts, line in lines if ts >= after and text in line), None)
    rows = []
    for wall, took in samples:
        committed = first(a, wall - 0.05, "committer: Committed")
        uploaded = committed and first(a, committed, "; listing it in the manifest")
        stored = uploaded and first(a, uploaded, "cloud: stored GITBUNDLE")
        merged = stored and first(b, uploaded, "Fast-forwarded to refs/remotes/cloud/")
        polled = merged and max((ts for ts, line in b if ts <= merged and "cloud: periodic pull" in line), default=None)
        if None in (committed, uploaded, stored, merged, polled): continue
        rows.append([committed - wall, uploaded - committed, stored - uploaded, polled - stored, merged - polled, wall + took - merged, took])
    return rows

def idle_cpu(path, span=30.0):
    """CPU seconds per second the two daemons and the programs they ran (rsync, gpg, git: reaped, so counted in the
    daemon's cutime/cstime) use with nothing to sync: the cost of reading the manifest every pull_interval."""
    def used():
        total = 0
        for d in path.daemons:
            fields = open(f"/proc/{d.pid}/stat").read().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])
        return total / os.sysconf("SC_CLK_TCK")
    before = used(); time.sleep(span)
    return (used() - before) / span

def main():
    started, load = time.strftime("%Y-%m-%d %H:%M:%S %Z"), os.getloadavg()
    pull = PULL or "1m (default)"
    paths, results, sshd = [], {}, None
    try:
        if not ONLY or ONLY == "cloud": paths.append(("cloud", cloud, max(90.0, 3 * seconds(PULL or "1m") + 30)))
        poll = seconds(PULL or "1m")
        if not ONLY or ONLY == "ssh":
            if os.geteuid() == 0 and os.path.exists("/usr/sbin/sshd") and shutil.which("ssh"):
                sshd = Sshd(WORK, T); sshd.start()
                env = dict(os.environ, TETHER_SSH_CONFIG=str(sshd.config))
                paths.append(("ssh", lambda: peers("ssh", lambda r: f"{HOST}:{r}", env), 60.0))
            else: log("ssh: skipped (needs root and OpenSSH: apt packages openssh-server, openssh-client)")
        if not ONLY or ONLY == "local": paths.append(("local", lambda: peers("local", str), 60.0))
        for name, make, limit in paths:
            log(f"== {name}" + (f" (pull_interval {pull})" if name == "cloud" else ""))
            path = make()
            try:
                results[name] = measure(path, limit, poll if name == "cloud" else 0.0)
                results[name + ".idle"] = idle_cpu(path)
            finally:
                path.stop()
            results[name + ".warnings"] = path.warnings()
            if name == "cloud": results["breakdown"] = cloud_breakdown(path, results[name])
    finally:
        if sshd is not None: sshd.stop()
        for pid in started_here(WORK):
            try: os.kill(pid, 9)
            except (ProcessLookupError, PermissionError): pass
    print(f"\n{started}: {SAMPLES} samples per path; cloud pull_interval {pull}; load average {load[0]:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end, on {os.cpu_count()} CPUs")
    print(f"| path | median | p95 | max | idle CPU of both daemons |\n|---|---|---|---|---|")
    labels = {"cloud": "cloud: encrypted rsync remote, git as bundles", "ssh": "ssh: A and B each other's remote over ssh", "local": "local: A and B each other's remote (paths)"}
    for name, _, _ in paths:
        v = [took for _, took in results[name]]
        print(f"| {labels[name]} | {statistics.median(v) * 1000:.0f} ms | {pct(v, 0.95) * 1000:.0f} ms | {max(v) * 1000:.0f} ms "
              f"| {results[name + '.idle'] * 100:.1f}% of a core |")
    rows = results.get("breakdown")
    if rows:
        print(f"\ncloud, where the time goes (median of the {len(rows)} of {len(results['cloud'])} samples whose log lines were found):")
        for i, label in enumerate(["write -> A committed", "A: manifest read, bundle made and uploaded", "A: manifest rewritten and read back",
                                   "B's read that fetched it began (< 0: before A's read back)", "B: manifest and bundle fetched, fast-forward",
                                   "until B's work tree has the bytes", "total"]):
            print(f"  {label:<60} {statistics.median(r[i] for r in rows) * 1000:6.0f} ms")
    for name, _, _ in paths:
        if results.get(name + ".warnings"):
            print(f"\n{name}: {len(results[name + '.warnings'])} warning(s) in the daemons' logs, the first:")
            for w in results[name + ".warnings"][:5]: print("  " + w[:300])

main()
PY
