#!/usr/bin/env python3
"""Live change notification over ssh, end to end: laptop A -> server S -> laptop B.

Issue 20's Performance bench: a small unique file saved on A, timed until B's work tree holds the same bytes,
with B learning of the change only from the server (no hook, no poke): Tether (`tether watch` on A, B and S; the
laptops keep a `tether shell` NOTIFY session to S) against two git-annex assistants (`git annex assistant
--foreground` on A and B; S a bare git-annex repository, whose `git-annex-shell notifychanges` feeds the
assistants' remotedaemon). Samples are spaced by a random 2-4 s pause after each detection. Prints median, p95 and
max per tool and the ratio tether / assistant. Python 3.11, stdlib only; needs root (its own sshd).

The bench starts its own sshd on 127.0.0.1 on a free port (throwaway host and client keys, its own sshd_config,
PATH on the server side starting with a folder holding a `tether` wrapper, as tests/Tether.Tests/Support/
SshdFixture.cs does). Clients reach it as ssh host `bench-s` of the bench's ssh_config: tether through
TETHER_SSH_CONFIG (it multiplexes its own connections), git-annex through remote.s.annex-ssh-options "-F
ssh_config" (its own ssh runs, with its usual connection caching) and GIT_SSH_COMMAND="ssh -F ssh_config" for the
git commands it runs (ControlMaster/ControlPersist in the host entry share a connection there too). Small files
go to git for both tools (annex.largefiles largerthan=1mb; Tether's default larger_than is 1 MiB).

Usage:
  python3 bench/notify_latency.py                       # both tools, 15 samples each
  python3 bench/notify_latency.py --only tether --samples 5
  python3 bench/notify_latency.py --only tether --verbose     # and where tether's time goes (its logs)
  TETHER=/work/main/tether python3 bench/notify_latency.py --json /tmp/notify.json

Everything runs under one temporary folder (default ${TMPDIR:-/var/tmp}), removed on exit; sshd and each daemon
run in their own process group, SIGTERMed (then SIGKILLed) on exit.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
POLL = 0.010  # seconds between polls of B's work tree
HOST = "bench-s"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(*args: str, cwd: Path | None = None, check: bool = True, env: dict | None = None,
        timeout: float = 120.0) -> subprocess.CompletedProcess:
    r = subprocess.run(list(args), cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=env, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): {(r.stderr or r.stdout).strip()}")
    return r


def stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:  # stragglers left in the group
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


def cmdlines() -> dict[int, str]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    out[int(entry)] = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                pass
    return out


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    data = f.read()
            except OSError:
                continue
            children.setdefault(int(data[data.rfind(")") + 2:].split()[1]), []).append(int(entry))
    out, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def started_here(base: Path) -> list[int]:
    """Processes naming our unique temp folder in their command line or working in it: started by this run
    (e.g. git-annex's detached ssh connection masters, which run in A or B with a relative socket path)."""
    out = []
    for pid, cmd in cmdlines().items():
        if pid == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        if str(base) in cmd or cwd == str(base) or cwd.startswith(str(base) + "/"):
            out.append(pid)
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the server

class Sshd:
    """sshd on 127.0.0.1:<free port>, root login by a throwaway key; clients use `ssh -F <config> bench-s`."""

    def __init__(self, base: Path, tether_program: str | None):
        self.dir = base / "sshd"
        self.dir.mkdir()
        self.port = free_port()
        self.config = self.dir / "ssh_config"
        self.proc: subprocess.Popen | None = None
        d = self.dir
        for key in ("host_key", "client_key"):
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / key))
        shutil.copy(d / "client_key.pub", d / "authorized_keys")
        (d / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {(d / 'host_key.pub').read_text().strip()}\n")
        bin_dir = d / "bin"
        bin_dir.mkdir()
        if tether_program:
            wrapper = bin_dir / "tether"
            wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(tether_program)} \"$@\"\n")
            wrapper.chmod(0o755)
        (d / "cm").mkdir(mode=0o700)
        dotnet_root = os.environ.get("DOTNET_ROOT") or "/usr/share/dotnet"
        (d / "sshd_config").write_text(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {d}/host_key
PidFile {d}/sshd.pid
AuthorizedKeysFile {d}/authorized_keys
PermitRootLogin yes
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxStartups 100
MaxSessions 100
SetEnv SHLVL=1 PATH={bin_dir}:/usr/local/bin:/usr/bin:/bin DOTNET_ROOT={dotnet_root}
LogLevel ERROR
""")
        # ControlMaster here serves git-annex (GIT_SSH_COMMAND turns its own caching off); tether passes its own
        # ControlMaster/ControlPath options on the command line, which take precedence.
        self.config.write_text(f"""Host {HOST}
  HostName 127.0.0.1
  Port {self.port}
  User root
  IdentityFile {d}/client_key
  IdentitiesOnly yes
  UserKnownHostsFile {d}/known_hosts
  GlobalKnownHostsFile /dev/null
  BatchMode yes
  ControlMaster auto
  ControlPath {d}/cm/%C
  ControlPersist 60
""")

    def start(self, timeout: float = 30.0) -> None:
        os.makedirs("/run/sshd", exist_ok=True)
        with open(self.dir / "sshd.log", "wb") as out:
            self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(self.dir / "sshd_config")],
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            r = subprocess.run(["ssh", "-F", str(self.config), "-o", "ControlMaster=no", "-o", "ControlPath=none",
                                HOST, "true"], capture_output=True, text=True, timeout=timeout)
            if r.returncode == 0:
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not accept a connection: {r.stderr.strip()}; "
                                   f"sshd said: {(self.dir / 'sshd.log').read_text(errors='replace').strip()}")
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["ssh", "-F", str(self.config), "-O", "exit", HOST], capture_output=True, timeout=10)
        if self.proc is not None:
            # sshd puts each connection in a session of its own (setsid): end those children by pid first.
            for pid in descendants(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            stop_group(self.proc, grace=5)
            self.proc = None


# ---------------------------------------------------------------- tools

@dataclass
class Daemon:
    name: str
    proc: subprocess.Popen
    log_path: Path


class Tool:
    name = "?"

    def __init__(self, base: Path, sshd: Sshd, opts):
        self.dir = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=base))
        self.sshd = sshd
        self.opts = opts
        self.s, self.a, self.b = self.dir / "srv" / "S", self.dir / "A", self.dir / "B"
        self.running: list[Daemon] = []

    def env(self) -> dict:
        return dict(os.environ)

    def start(self, repo: Path, command: list[str]) -> Daemon:
        log_path = self.dir / f"{repo.name}.log"
        with open(log_path, "wb") as out:
            proc = subprocess.Popen(command, cwd=repo, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, env=self.env())
        d = Daemon(f"{self.name}:{repo.name}", proc, log_path)
        self.running.append(d)
        return d

    def stop_all(self) -> None:
        for d in list(self.running):
            stop_group(d.proc)
            self.running.remove(d)

    def check_alive(self) -> None:
        for d in self.running:
            if d.proc.poll() is not None:
                raise RuntimeError(f"{d.name} exited with {d.proc.returncode}; see {d.log_path}")

    def setup(self) -> None:
        raise NotImplementedError

    def start_daemons(self) -> None:
        raise NotImplementedError

    def notified(self) -> bool:
        """True once both laptops hold a live notification session to S."""
        raise NotImplementedError

    def logs(self) -> list[Path]:
        return [d.log_path for d in self.running]


def git_identity(repo: Path, env: dict | None = None) -> None:
    run("git", "-C", str(repo), "config", "user.name", "bench", env=env)
    run("git", "-C", str(repo), "config", "user.email", "bench@localhost", env=env)


class Assistant(Tool):
    name = "assistant"

    def env(self) -> dict:
        return dict(os.environ, GIT_SSH_COMMAND=f"ssh -F {shlex.quote(str(self.sshd.config))}")

    def setup(self) -> None:
        env = self.env()
        self.s.parent.mkdir(parents=True)
        run("git", "init", "-q", "--bare", "-b", "main", str(self.s), env=env)
        run("git", "-C", str(self.s), "annex", "init", "S", env=env)
        for repo in (self.a, self.b):
            run("git", "init", "-q", "-b", "main", str(repo), env=env)
            git_identity(repo, env)
            run("git", "-C", str(repo), "annex", "init", repo.name, env=env)
            run("git", "-C", str(repo), "config", "annex.largefiles", "largerthan=1mb", env=env)
            run("git", "-C", str(repo), "remote", "add", "s", f"{HOST}:{self.s}", env=env)
            # git-annex's own ssh (configlist, notifychanges, its connection caching) ignores GIT_SSH_COMMAND here.
            run("git", "-C", str(repo), "config", "remote.s.annex-ssh-options", f"-F {self.sshd.config}", env=env)
        # One sync each before the daemons start: S gets main, both laptops learn S's annex UUID.
        (self.a / "bench-init.txt").write_text("init\n")
        run("git", "-C", str(self.a), "annex", "add", "bench-init.txt", env=env)
        # A's pull half fails (S has no branch yet to merge); its push is what counts.
        run("git", "-C", str(self.a), "annex", "sync", "--no-content", check=False, env=env)
        run("git", "-C", str(self.s), "rev-parse", "--verify", "-q", "refs/heads/synced/main", env=env)
        run("git", "-C", str(self.b), "annex", "sync", "--no-content", env=env)
        if not (self.b / "bench-init.txt").is_file():
            raise RuntimeError("assistant setup: B did not get A's first commit through S")

    def start_daemons(self) -> None:
        for repo in (self.a, self.b):
            self.start(repo, ["git", "annex", "assistant", "--foreground"])

    def notified(self) -> bool:
        # The server side of each remotedaemon: `git-annex-shell notifychanges S` run by sshd.
        return sum(1 for c in cmdlines().values()
                   if c.split(" ", 1)[0].endswith("git-annex-shell") and "notifychanges" in c and str(self.s) in c) >= 2


class Tether(Tool):
    name = "tether"

    def env(self) -> dict:
        return dict(os.environ, TETHER_SSH_CONFIG=str(self.sshd.config))

    def setup(self) -> None:
        env, exe = self.env(), self.opts.tether
        self.s.parent.mkdir(parents=True)
        for repo in (self.s, self.a, self.b):
            run(exe, "init", str(repo), "--description", repo.name, env=env)
        for repo in (self.a, self.b):
            run(exe, "-C", str(repo), "remote", "add", "server", f"{HOST}:{self.s}", env=env)

    def start_daemons(self) -> None:
        verbose = ["--verbose"] if self.opts.verbose else []
        for repo in (self.s, self.a, self.b):
            self.start(repo, [self.opts.tether, "-C", str(repo), "watch", *verbose])

    def notified(self) -> bool:
        for repo in (self.a, self.b):
            r = run(self.opts.tether, "-C", str(repo), "status", check=False, env=self.env(), timeout=30)
            if "live: told of its changes" not in r.stdout:
                return False
        return True

    def logs(self) -> list[Path]:
        # The daemon's own log (Serilog, millisecond timestamps with the date) next to the console capture.
        return super().logs() + [r / ".git" / "tether" / "daemon.log" for r in (self.s, self.a, self.b)]


# ---------------------------------------------------------------- measuring

def wait_for_bytes(tool: Tool, rel: str, data: bytes, t0: float, timeout: float) -> float | None:
    """Seconds from t0 until B's work tree has `rel` with exactly `data` (None on timeout)."""
    path = tool.b / rel
    checks = 0
    while True:
        try:
            with open(path, "rb") as f:
                if f.read(len(data) + 1) == data:
                    return time.monotonic() - t0
        except OSError:
            pass
        if time.monotonic() - t0 > timeout:
            return None
        checks += 1
        if checks % 100 == 0:
            tool.check_alive()
        time.sleep(POLL)


def wait_ready(tool: Tool, timeout: float) -> float:
    """Both laptops hold their notification session, then a sentinel saved on A shows up in B."""
    t0 = time.monotonic()
    while not tool.notified():
        tool.check_alive()
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"{tool.name}: no notification session from both laptops after {timeout:.0f}s; "
                               f"logs: {', '.join(map(str, tool.logs()))}")
        time.sleep(0.2)
    data = f"ready {random.getrandbits(64):016x}\n".encode()
    (tool.a / "bench-ready.txt").write_bytes(data)
    left = max(1.0, timeout - (time.monotonic() - t0))
    if wait_for_bytes(tool, "bench-ready.txt", data, time.monotonic(), left) is None:
        raise TimeoutError(f"{tool.name}: sentinel not in B after {timeout:.0f}s; logs: {', '.join(map(str, tool.logs()))}")
    return time.monotonic() - t0


def measure(tool: Tool, opts, res: dict) -> None:
    tool.setup()
    tool.start_daemons()
    ready = wait_ready(tool, opts.ready_timeout)
    log(f"{tool.name}: ready in {ready:.2f}s (both laptops notified by S, sentinel through); {opts.samples} samples")
    lat, samples, timeouts = [], [], 0
    time.sleep(random.uniform(2, 4))
    for i in range(1, opts.samples + 1):
        rel = f"note-{i:03d}.txt"
        data = f"sample {i} {random.getrandbits(128):032x}\n".encode()
        wall = time.time()
        t0 = time.monotonic()
        with open(tool.a / rel, "wb") as f:
            f.write(data)
        took = wait_for_bytes(tool, rel, data, t0, opts.sample_timeout)
        tool.check_alive()
        if took is None:
            timeouts += 1
            took = opts.sample_timeout  # counted as a lower bound
        lat.append(took)
        samples.append({"file": rel, "written_at": wall, "seconds": took})
        log(f"{tool.name}: sample {i}: {took * 1000:.0f} ms" + (" (TIMEOUT)" if took >= opts.sample_timeout else ""))
        time.sleep(random.uniform(2, 4))
    res.update(latency_s=lat, samples=samples, timeouts=timeouts, ready_s=ready)


# ---------------------------------------------------------------- where tether's time goes (--verbose)

STAGES = [("write -> A committed", "A", "committer: Committed"),
          ("A push: commit -> S's branch moved", "S", "Fast-forwarded to refs/heads/synced/main"),
          ("S's CHANGED reaches B", "B", "its branches changed; pulling"),
          ("B pull: fetch + fast-forward", "B", "Fast-forwarded to refs/remotes/server/main")]


def read_daemon_log(path: Path) -> list[tuple[float, str]]:
    """(epoch seconds, message) of each line of a tether daemon.log ("2026-12-02 17:12:28.626 +00:00 [INF] ...")."""
    out = []
    if not path.is_file():
        return out
    for line in path.read_text(errors="replace").splitlines():
        try:
            stamp = datetime.strptime(line[:30], "%Y-%m-%d %H:%M:%S.%f %z")
        except ValueError:
            continue
        out.append((stamp.timestamp(), line))
    return out


def tether_breakdown(tool: "Tether", res: dict) -> None:
    """Each sample split at the daemons' log lines (millisecond timestamps): A's commit, S's branch moving (the
    push landed), B told CHANGED, B's fetch and fast-forward, then B's work tree (the bench's own clock)."""
    logs = {r.name: read_daemon_log(r / ".git" / "tether" / "daemon.log") for r in (tool.a, tool.s, tool.b)}
    rows = []
    for sample in res.get("samples", []):
        t = sample["written_at"]
        marks, ok = [], True
        for _, node, text in STAGES:
            nxt = next((ts for ts, line in logs[node] if ts >= t - 0.05 and text in line), None)
            if nxt is None:
                ok = False
                break
            marks.append(nxt - t)
            t = nxt
        if ok:
            rows.append(marks + [sample["written_at"] + sample["seconds"] - t, sample["seconds"]])
    if rows:
        res["breakdown_s"] = rows


def print_breakdown(res: dict) -> None:
    rows = res.get("breakdown_s")
    if not rows:
        return
    labels = [s[0] for s in STAGES] + ["B's work tree has the bytes", "total"]
    print(f"\ntether, where the time goes (median over the {len(rows)} of {len(res.get('samples', []))} samples whose log "
          f"lines were all found; stages can overlap by a few ms, as a "
          f"CHANGED can leave S before its daemon logs the merge):")
    for i, label in enumerate(labels):
        print(f"  {label:<40} {statistics.median(r[i] for r in rows) * 1000:6.0f} ms")


# ---------------------------------------------------------------- report

def pct(values: list[float], q: float) -> float:
    """Percentile with linear interpolation between closest ranks (numpy's default)."""
    v = sorted(values)
    if len(v) == 1:
        return v[0]
    k = (len(v) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def print_table(results: dict[str, dict], opts) -> None:
    def fig(tool, fn):
        r = results.get(tool)
        if not r or not r.get("latency_s"):
            return None
        return fn(r["latency_s"])

    metrics = [(f"A -> S -> B median (n={opts.samples})", statistics.median),
               ("p95", lambda v: pct(v, 0.95)), ("max", max)]
    header = ["metric", "git annex assistant (remotedaemon)", "tether watch (NOTIFY)", "ratio tether/assistant"]
    lines = []
    for label, fn in metrics:
        a, t = fig("assistant", fn), fig("tether", fn)
        cell = lambda tool, v: f"{v * 1000:.0f} ms" if v is not None else ("not run" if tool not in results else "-")
        lines.append([label, cell("assistant", a), cell("tether", t), f"{t / a:.2f}x" if a and t is not None else "-"])
    lines.append([f"timeouts (>{opts.sample_timeout:.0f} s)",
                  *(str(results[t]["timeouts"]) if t in results and "timeouts" in results[t] else "-"
                    for t in ("assistant", "tether")), "-"])
    widths = [max(len(x[i]) for x in [header] + lines) for i in range(4)]
    fmt = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    print(fmt(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print(fmt(line))
    for tool, r in results.items():
        if r.get("error"):
            print(f"\n{tool}: ERROR: {r['error']}")


# ---------------------------------------------------------------- main

def remove_tree(path: Path) -> None:
    if path.exists():
        subprocess.run(["chmod", "-R", "u+w", str(path)], stderr=subprocess.DEVNULL)
        shutil.rmtree(path, ignore_errors=True)


def resolve_tether(launcher: str) -> str:
    """Build through the launcher once, then run the program it built (the launcher's freshness check, a `find`
    over the sources, would otherwise be paid by every `tether shell` the server side starts)."""
    run(launcher, "--help", check=False, timeout=1800)
    built = Path(launcher).resolve().parent / "artifacts" / "tether" / "tether"
    return str(built) if built.is_file() and os.access(built, os.X_OK) else launcher


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", choices=["assistant", "tether"], help="run one tool only")
    p.add_argument("--samples", type=int, default=15, help="samples per tool (default 15)")
    p.add_argument("--sample-timeout", type=float, default=30.0, help="per sample (default 30 s)")
    p.add_argument("--ready-timeout", type=float, default=120.0,
                   help="daemons start-up: notification sessions up and a sentinel through (default 120 s)")
    p.add_argument("--tether", default=os.environ.get("TETHER", str(REPO_ROOT / "tether")),
                   help="tether launcher or program (default $TETHER or ./tether)")
    p.add_argument("--tmpdir", default=os.environ.get("TMPDIR", "/var/tmp"), help="where temp repos go (default ${TMPDIR:-/var/tmp})")
    p.add_argument("--verbose", action="store_true",
                   help="run tether's daemons with --verbose and print where each sample's time goes, from their logs")
    p.add_argument("--keep-logs", help="copy every daemon's log into this folder before cleaning up")
    p.add_argument("--json", help="also write raw results (each sample's wall-clock write time too) to this file")
    p.add_argument("--seed", type=int, help="random seed (spacing, contents)")
    opts = p.parse_args()
    if opts.seed is not None:
        random.seed(opts.seed)

    if os.geteuid() != 0:
        log("SKIPPED: this bench runs its own sshd with root login on 127.0.0.1 and must run as root")
        return 0
    for need in ("/usr/sbin/sshd", shutil.which("ssh"), shutil.which("ssh-keygen")):
        if not need or not os.path.exists(need):
            log("SKIPPED: needs OpenSSH (apt packages openssh-server, openssh-client)")
            return 0
    tools = ["assistant", "tether"] if opts.only is None else [opts.only]
    if "tether" in tools and not (os.path.isfile(opts.tether) and os.access(opts.tether, os.X_OK)):
        log(f"tether not found at {opts.tether} (set TETHER or --tether)")
        return 2
    if "assistant" in tools and (shutil.which("git-annex") is None or shutil.which("git-annex-shell") is None):
        log("git-annex (with git-annex-shell) not installed")
        return 2

    base = Path(tempfile.mkdtemp(prefix="tether-notify-", dir=opts.tmpdir))
    sshd: Sshd | None = None
    live: list[Tool] = []

    def cleanup(*_):
        for t in live:
            t.stop_all()
        if sshd is not None:
            sshd.stop()
        for pid in started_here(base):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        remove_tree(base)

    def on_signal(signum, _frame):
        cleanup()
        sys.exit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    results: dict[str, dict] = {}
    started = time.monotonic()
    load = os.getloadavg()
    try:
        if "tether" in tools:
            log("building tether (launcher) before timing anything")
            opts.tether = resolve_tether(opts.tether)
        sshd = Sshd(base, opts.tether if "tether" in tools else None)
        sshd.start()
        log(f"sshd on 127.0.0.1:{sshd.port}")
        for name in tools:
            tool = Assistant(base, sshd, opts) if name == "assistant" else Tether(base, sshd, opts)
            live.append(tool)
            res = results.setdefault(name, {})
            log(f"== {name}")
            try:
                measure(tool, opts, res)
            except Exception as e:  # keep the other tool's figures
                res["error"] = str(e)
                log(f"{name} failed: {e}")
            finally:
                tool.stop_all()
                if isinstance(tool, Tether) and opts.verbose:
                    tether_breakdown(tool, res)
                for pid in started_here(tool.dir):  # its ssh connection masters, between the tools too
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                if opts.keep_logs:
                    dest = Path(opts.keep_logs) / name
                    dest.mkdir(parents=True, exist_ok=True)
                    for path in tool.logs() + [tool.dir / f"{r}.log" for r in ("A", "B", "S")]:
                        if path.is_file():
                            owner = path.parents[2].name if path.name == "daemon.log" else "console"
                            shutil.copy(path, dest / f"{owner}-{path.name}")
                live.remove(tool)
        meta = {"elapsed_s": time.monotonic() - started, "nproc": os.cpu_count(), "loadavg_at_start": load,
                "loadavg_at_end": os.getloadavg(),
                "git_annex": run("git", "annex", "version", "--raw", check=False).stdout.strip()}
        print()
        print_table(results, opts)
        if "tether" in results:
            print_breakdown(results["tether"])
        print(f"\n(total {meta['elapsed_s']:.0f} s; load average at start {load[0]:.1f}, at end {meta['loadavg_at_end'][0]:.1f} "
              f"on {meta['nproc']} CPUs; ratio < 1 means tether is faster; goal <= 0.25x and < 1 s)")
        if opts.json:
            Path(opts.json).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
