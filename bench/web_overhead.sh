#!/usr/bin/env bash
# Dashboard overhead benchmark (issue 19), side by side in one run:
#   1. a 10,000-file burst: the time from the first file written until the remote's synced/main holds all of them
#      (commit and push), with `web: off` and with the dashboard on, a browser page open on it (headless Chromium)
#      and an extra event-stream client attached; target: on within 1.1x of off;
#   2. idle: the daemon's CPU seconds (utime+stime from /proc) over 60 s with the page open, and without a dashboard;
#      target: <= 0.1 CPU-s per minute with the page open;
#   3. first page load on loopback: the page, its every asset and /api/status fetched in order on one fresh
#      connection (what a browser needs before it shows anything); target: under 300 ms.
#      (the idle part runs IDLE_MINUTES=15 minutes, the three cases side by side, and reports the first and second minute,
#      which still hold the runtime's warm-up, and the settled mean of the last five)
# Usage: bash bench/web_overhead.sh [ROUNDS=3] [FILES=10000] [PARTS=burst,idle,load]      (needs chromium, python3)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-3}"
files="${2:-10000}"
parts="${3:-burst,idle,load}"
work="$(mktemp -d "${TMPDIR:-/var/tmp}/tether-web-bench.XXXXXX")"
cleanup() { chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; } # the python below stops every process it starts
trap cleanup EXIT

echo "building tether (Release) ..." >&2
dotnet publish "$root/src/Cli/Tether.Cli.csproj" -c Release -o "$work/bin" --nologo -v quiet \
  --use-current-runtime --self-contained false -p:PublishReadyToRun=true >&2 # as ./tether builds it
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export TETHER="$work/bin/tether" WORK="$work" ROUNDS="$rounds" FILES="$files" PARTS="$parts" ASSETS="$root/src/Web/Assets"

python3 - <<'PY'
import http.client, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.parse

T, WORK, ROUNDS, FILES, ASSETS = os.environ["TETHER"], os.environ["WORK"], int(os.environ["ROUNDS"]), int(os.environ["FILES"]), os.environ["ASSETS"]
PARTS = os.environ["PARTS"].split(",")
TICKS = os.sysconf("SC_CLK_TCK")

def run(*args, cwd=None):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS

def set_web(repo, value):
    path = os.path.join(repo, ".tether", "config.yml")
    text = re.sub(r"^web:\n(  .*\n)*", f"web: {value}\n" if value == "off" else "web:\n  address: 127.0.0.1\n  port: auto\n", open(path).read(), flags=re.M)
    open(path, "w").write(text)

def pair(name, web):
    base = os.path.join(WORK, name)
    os.makedirs(base)
    run(T, "init", "--locked", "local", cwd=base)
    run(T, "init", "--locked", "remote", cwd=base)
    local, remote = os.path.join(base, "local"), os.path.join(base, "remote")
    run(T, "remote", "add", "remote", remote, cwd=local)
    set_web(local, "on" if web else "off")
    return local, remote

def start(local, web):
    daemon = subprocess.Popen([T, "watch"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        if subprocess.run([T, "status"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0 and \
           (not web or os.path.exists(os.path.join(local, ".git", "tether", "web.json"))):
            return daemon
        time.sleep(0.2)
    raise SystemExit("the daemon did not start")

def stop(local, daemon):
    subprocess.run([T, "stop"], cwd=local, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    daemon.wait(60)

def sign_in_url(local):
    return subprocess.run([T, "open", "--url"], cwd=local, capture_output=True, text=True, check=True).stdout.strip()

def browser(url):
    profile = tempfile.mkdtemp(dir=WORK)
    return subprocess.Popen(["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--disable-extensions", "--disable-background-networking", "--disable-sync", f"--user-data-dir={profile}",
                             "--remote-debugging-port=0", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), profile

class StreamClient(threading.Thread):
    """An extra event-stream client, reading every event as it comes."""
    def __init__(self, local):
        super().__init__(daemon=True)
        self.url = urllib.parse.urlparse(json.load(open(os.path.join(local, ".git", "tether", "web.json")))["url"])
        self.token = open(os.path.join(local, ".git", "tether", "web-token")).read().strip()
        self.events = 0
    def run(self):
        c = http.client.HTTPConnection(self.url.hostname, self.url.port)
        c.request("GET", "/api/events", headers={"Authorization": f"Bearer {self.token}"})
        r = c.getresponse()
        for line in r:
            if line.startswith(b"id: "): self.events += 1

def remote_count(remote):
    p = subprocess.run(["git", "-C", remote, "ls-tree", "-r", "--name-only", "synced/main"], capture_output=True)
    return p.stdout.count(b"\n") if p.returncode == 0 else 0

def burst(round_, web):
    local, remote = pair(f"burst-{'on' if web else 'off'}-{round_}", web)
    daemon = start(local, web)
    extras = []
    if web:
        page, _ = browser(sign_in_url(local)); extras.append(page)
        stream = StreamClient(local); stream.start()
        time.sleep(3)  # the page loaded, the stream attached
    base = remote_count(remote)
    began = time.monotonic()
    folder = os.path.join(local, "burst")
    os.makedirs(folder)
    for i in range(FILES):
        with open(os.path.join(folder, f"f{i:05d}.txt"), "w") as f: f.write(f"file {i}\n")
    while remote_count(remote) < base + FILES:
        if time.monotonic() - began > 600: raise SystemExit("burst not pushed within 600 s")
        time.sleep(0.25)
    took = time.monotonic() - began
    for p in extras: p.kill(); p.wait()
    stop(local, daemon)
    return took

IDLE_MINUTES = int(os.environ.get("IDLE_MINUTES", "15"))

def idle_all():
    """The three idle cases side by side (idle daemons barely share the CPU): per case the CPU seconds of each minute."""
    cases = {"off": (False, False), "on": (True, False), "page": (True, True)}
    running, extras = {}, []
    for name, (web, with_page) in cases.items():
        local, _ = pair(f"idle-{name}", web)
        running[name] = (local, start(local, web))
        if with_page:
            page, _ = browser(sign_in_url(local)); extras.append(page)
    time.sleep(10)  # start-up work done, page loaded
    minutes = {name: [] for name in cases}
    for _ in range(IDLE_MINUTES):
        before = {name: cpu_seconds(d.pid) for name, (_, d) in running.items()}
        time.sleep(60)
        for name, (_, d) in running.items(): minutes[name].append(cpu_seconds(d.pid) - before[name])
    for p in extras: p.kill(); p.wait()
    for local, d in running.values(): stop(local, d)
    return minutes

def settled(per_minute):
    """The mean of the last five minutes (the runtime's tiered JIT recompiles each periodic code path once it is hot: minutes)."""
    tail = per_minute[-5:] if len(per_minute) > 2 else per_minute[-1:]
    return sum(tail) / len(tail)

def first_load():
    local, remote = pair("first-load", True)
    daemon = start(local, True)
    url = urllib.parse.urlparse(json.load(open(os.path.join(local, ".git", "tether", "web.json")))["url"])
    token = open(os.path.join(local, ".git", "tether", "web-token")).read().strip()
    assets = ["/"] + sorted("/assets/" + os.path.relpath(os.path.join(d, f), ASSETS)
                            for d, _, fs in os.walk(ASSETS) for f in fs if f != "index.html") + ["/api/status"]
    times = []
    for _ in range(5):
        began = time.monotonic()
        c = http.client.HTTPConnection(url.hostname, url.port)
        for path in assets:
            c.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            r = c.getresponse(); r.read()
            assert r.status == 200, (path, r.status)
        c.close()
        times.append((time.monotonic() - began) * 1000)
    stop(local, daemon)
    return len(assets), times

print(f"tether web overhead: {FILES} files per burst, {ROUNDS} round(s), {os.cpu_count()} cpu(s)")
med = lambda xs: sorted(xs)[len(xs) // 2]
if "burst" in PARTS:
    off, on = [], []
    for r in range(ROUNDS):
        off.append(burst(r, False)); print(f"  burst {r + 1}: web off {off[-1]:.2f} s", flush=True)
        on.append(burst(r, True)); print(f"  burst {r + 1}: web on, page open, stream attached {on[-1]:.2f} s", flush=True)
    print(f"burst commit+push, median: web off {med(off):.2f} s, web on {med(on):.2f} s, ratio {med(on) / med(off):.3f} (target <= 1.1)")
if "idle" in PARTS:
    idle_cases = idle_all()
    for name, label in [("off", "web off"), ("on", "web on, no page"), ("page", "web on, page open")]:
        m = idle_cases[name]
        print(f"idle, {label}: first minute {m[0]:.3f} CPU-s, second minute {m[1]:.3f}, settled (mean of minutes {max(3, len(m) - 4)}-{len(m)}) {settled(m):.3f}"
              + (" (target <= 0.1 per minute)" if name == "page" else ""), flush=True)
if "load" in PARTS:
    count, times = first_load()
    print(f"first page load ({count} requests: page, every asset, /api/status; fresh connection), median of 5: {med(times):.1f} ms, first {times[0]:.1f} ms (target < 300 ms)")
PY
