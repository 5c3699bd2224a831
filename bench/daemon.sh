#!/usr/bin/env bash
# `make bench`, second part: the Portcullis daemon against fail2ban-server on this machine, same
# stock /etc/fail2ban tree, same logs, both driven the same way:
#
#   server:  SERVER -f -x -c DIR start        (portcullis server / fail2ban-server, foreground)
#   client:  CLIENT -s SOCK …                 (portcullis client / fail2ban-client)
#
# Safety: every daemon runs inside a network namespace made here (`ip netns add pcbench-PID`,
# `ip netns exec NS …`), so every firewall command of the stock actions changes that namespace's
# ruleset, never the host's. The namespace, the daemons and the temporary trees are removed on
# any exit (trap). Needs root (namespaces); installs nftables/iproute2/fail2ban when missing.
#
# Each daemon gets a private copy of /etc/fail2ban with a fail2ban.local (socket, pidfile, dbfile
# and logtarget in its temporary directory, loglevel INFO), a jail.local that changes only what a
# measurement needs, and a tiny action.d/noop.conf (empty actionstart/stop/check/ban/unban).
# The sshd jail keeps the stock filter, maxretry/findtime/bantime and backend (auto).
#
# Measurements (times are CLOCK_MONOTONIC, taken by a small Python probe that runs in the
# namespace and talks to each daemon over its own socket protocol: fail2ban's pickle stream,
# Portcullis' length-prefixed JSON):
#
# 1. Throughput — [sshd] banaction = noop. The daemon starts on an empty log. The probe takes
#    `portcullis sample-log --lines N --seed 7` with every timestamp rewritten to the current
#    second (so every line is inside findtime: the whole log is live work, none of it is skipped
#    as too old or as "future"), adds maxretry failures from a sentinel address (198.51.100.1,
#    which the generator never writes), appends it all in one write(2), and stops the clock when
#    the daemon's log shows `[sshd] Ban 198.51.100.1`. Why that is sound: a jail reads its log in
#    order, so the sentinel reaches maxretry only after every earlier line went through the
#    filter, and both daemons log `Ban` after the failure manager decided it (fail2ban: in its
#    actions thread, which drains the ban queue in order). Reported: N / time (lines/s), the time
#    counted from the moment write(2) returned: a daemon cannot see the lines before that (the
#    kernel reports the file's modification to inotify once the write is done, to Portcullis and
#    to fail2ban's pyinotify alike), and the probe's own write of 10 MB took 10-57 ms on this
#    machine, up to a sixth of Portcullis' time and none of its work. The time from before the write is
#    reported too, with its own ratio. As a check that both did the same work: the number of
#    `Found` lines in each log and the jail's `Total failed` / `Total banned`.
# 2. Latency — [sshd] banaction = nftables (stock action), maxretry = 1. One failing line per
#    fresh address (100.65.x.y), written with the current time; the clock stops when the kernel
#    reports the element in the set (`nft monitor elements`, event-driven: no polling interval).
#    A warm-up ban first (fail2ban runs actionstart on the first ban), then BENCH_LATENCY_SAMPLES
#    samples, 50 ms apart; p50/p99 are nearest-rank. BENCH_LATENCY_RUNS runs, each on a fresh
#    daemon; reported are the medians of the runs' p50 and p99. For scale, the same is measured for the
#    stock action's command alone (`sh -c 'nft add element …'` from the probe): the floor of a
#    daemon that runs it through the shell, as fail2ban does (Portcullis carries it out through
#    netlink, see the README's "No process per ban").
# 3. Startup — stock sshd jail, banaction = nftables, a 1,000-line log two days old (read, not
#    counted). From spawning the server until `ping` answers and `status sshd` succeeds (polled
#    every 1 ms). Also, once each, the background way: `CLIENT -c DIR start` until it returns.
# 4. Idle RSS — VmRSS (/proc/PID/status) of the server process 5 s after its start, same runs.
# 5. Restore — banaction = nftables, bantime = 1d. BENCH_RESTORE_BANS addresses (100.66.x.y)
#    banned with `CLIENT -s SOCK set sshd banip IP…` (batches of 100), waited for in the kernel,
#    `CLIENT stop`, `nft flush ruleset`, then the server is started again and timed from its spawn
#    until every address was added to the set again (nft monitor). fail2ban is capped at
#    BENCH_RESTORE_CAP seconds ("> cap", with how many it had restored by then).
#
# Polling `status sshd` before the jail exists makes both daemons log one ERROR ("jail 'sshd'
# does not exist") per start; that is the probe, not a fault.
#
# Options (environment):
#   BENCH_DAEMON_LINES=100000   lines appended in the throughput test
#   BENCH_DAEMON_RUNS=3         throughput runs per daemon (median)
#   BENCH_LATENCY_SAMPLES=100   latency samples per run
#   BENCH_LATENCY_RUNS=3        latency runs per daemon (median of the runs' p50 and p99)
#   BENCH_STARTUP_RUNS=5        startup/RSS runs per daemon (median)
#   BENCH_RESTORE_BANS=1000     bans restored at start
#   BENCH_RESTORE_CAP=300       seconds fail2ban (or Portcullis) gets for the restore
#   BENCH_F2B=1                 include fail2ban-server (0: Portcullis only)
#   BENCH_KEEP=0                1: keep the temporary trees and logs (path printed)
#
# Results: printed, and written to bench-out/daemon.md; the daemons' logs of the last run of each
# test are copied to bench-out/daemon-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

lines=${BENCH_DAEMON_LINES:-100000}
tp_runs=${BENCH_DAEMON_RUNS:-3}
lat_samples=${BENCH_LATENCY_SAMPLES:-100}
lat_runs=${BENCH_LATENCY_RUNS:-3}
st_runs=${BENCH_STARTUP_RUNS:-5}
rs_bans=${BENCH_RESTORE_BANS:-1000}
rs_cap=${BENCH_RESTORE_CAP:-300}
with_f2b=${BENCH_F2B:-1}
keep=${BENCH_KEEP:-0}
seed=7
config=/etc/fail2ban
out=bench-out
bin=$PWD/.build/release/portcullis
py=/usr/bin/python3
sentinel=198.51.100.1

[ "$(id -u)" = 0 ] || { echo "bench/daemon.sh needs root (network namespaces, nftables)" >&2; exit 1; }
[ "$rs_bans" -le 62500 ] || { echo "BENCH_RESTORE_BANS is at most 62500" >&2; exit 1; }
need=(nftables iproute2 python3)
[ "$with_f2b" = 1 ] && need+=(fail2ban)
bench_need_packages "${need[@]}"
[ -f "$config/filter.d/sshd.conf" ] && [ -f "$config/action.d/nftables.conf" ] ||
  { echo "no stock $config (filter.d/sshd.conf, action.d/nftables.conf): is fail2ban installed?" >&2; exit 1; }

make --no-print-directory release
mkdir -p "$out"
rm -rf "$out/daemon-logs"; mkdir -p "$out/daemon-logs"

# --- the namespace, the work directory, cleanup ----------------------------------------------
ns=pcbench-$$
work=$(mktemp -d /tmp/pcbench.XXXXXX)
chmod 755 "$work"

alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# Kills what this script started, by pid: every process in its namespace (the daemons, their
# firewall commands, nft monitor, the probe); nothing here runs outside it for long.
kill_ours() {
  local pid pids=()
  ip netns list 2>/dev/null | grep -qw "$ns" || return 0
  for pid in $(ip netns pids "$ns" 2>/dev/null); do pids+=("$pid"); done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    local any=0; for pid in "${pids[@]}"; do alive "$pid" && any=1; done
    [ $any = 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  kill_ours
  ip netns del "$ns" 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
nsx() { ip netns exec "$ns" "$@"; }

# --- the probe (see the header) ---------------------------------------------------------------
probe=$work/probe.py
cat > "$probe" <<'PY'
"""bench/daemon.sh's probe: times what the shell cannot time finely. Runs inside the namespace."""
import json, os, pickle, re, select, socket, struct, subprocess, sys, time

END, CLOSE = b"<F2B_END_COMMAND>", b"<F2B_CLOSE_COMMAND>"
now = time.monotonic


def ask(proto, sock_path, words, timeout=5.0):
    """One command over the daemon's own protocol: (ok, value)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        if proto == "f2b":  # fail2ban: a pickle, then the end marker; the reply likewise
            s.sendall(pickle.dumps(list(words), pickle.HIGHEST_PROTOCOL) + END)
            data = b""
            while not data.endswith(END):
                chunk = s.recv(65536)
                if not chunk:
                    raise OSError("connection closed")
                data += chunk
            code, value = pickle.loads(data[: -len(END)])
            try:
                s.sendall(CLOSE + END)
            except OSError:
                pass
            return code == 0, value
        payload = json.dumps(list(words)).encode()  # Portcullis: 4-byte big-endian length + JSON
        s.sendall(struct.pack(">I", len(payload)) + payload)

        def exactly(n):
            buf = b""
            while len(buf) < n:
                chunk = s.recv(n - len(buf))
                if not chunk:
                    raise OSError("connection closed")
                buf += chunk
            return buf

        (length,) = struct.unpack(">I", exactly(4))
        reply = json.loads(exactly(length))
        return ("ok" in reply), reply.get("ok", reply.get("error"))
    finally:
        s.close()


def try_ask(proto, sock_path, words, timeout=1.0):
    try:
        return ask(proto, sock_path, words, timeout)
    except Exception as error:  # not up yet, refused, half-written socket…
        return False, str(error)


def wait_ready(proto, sock_path, deadline, interval=0.002):
    """Until `ping` answers and `status sshd` succeeds; True if in time."""
    while now() < deadline:
        if os.path.exists(sock_path) and try_ask(proto, sock_path, ["ping"])[0] \
                and try_ask(proto, sock_path, ["status", "sshd"])[0]:
            return True
        time.sleep(interval)
    return False


def flatten(value, into):
    """fail2ban's status: nested [name, value] pairs -> {name: value}."""
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and isinstance(value[0], str):
            if isinstance(value[1], (list, tuple)) and value[1] and all(isinstance(v, (list, tuple)) for v in value[1]):
                flatten(value[1], into)
            else:
                into[value[0]] = value[1]
        else:
            for item in value:
                flatten(item, into)
    return into


def spawn(argv, pidfile, out):
    """Starts the daemon (in this namespace), records its pid for the script's cleanup."""
    with open(out, "ab") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    with open(pidfile, "w") as f:
        f.write("%d\n" % proc.pid)
    return proc


def memory_kib(pid):
    """VmRSS and its split (RssAnon, RssFile: mapped binaries and libraries, RssShmem)."""
    values = {"VmRSS": -1, "RssAnon": -1, "RssFile": -1, "RssShmem": -1}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key = line.split(":")[0]
                if key in values:
                    values[key] = int(line.split()[1])
    except OSError:
        pass
    return values


def syslog_stamp(t=None):
    tm = time.localtime(t)
    return "%s %2d %s" % (("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[tm.tm_mon - 1],
                          tm.tm_mday, time.strftime("%H:%M:%S", tm))


def failure_line(address, n):
    return ("%s bench sshd[%d]: Failed password for invalid user bench from %s port %d ssh2\n"
            % (syslog_stamp(), 1000 + n % 30000, address, 1024 + n % 60000)).encode()


def append(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class Monitor:
    """`nft monitor elements`: each added-element line, timestamped as it arrives."""
    ADDR = re.compile(rb"\d+\.\d+\.\d+\.\d+")

    def __init__(self):
        self.proc = subprocess.Popen(["nft", "monitor", "elements"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self.fd = self.proc.stdout.fileno()
        self.buf = b""
        time.sleep(0.2)  # let it subscribe

    def lines(self, deadline):
        """Yields (time, line) for each added-element line until the deadline."""
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.startswith(b"add element"):
                    yield now(), line
            left = deadline - now()
            if left <= 0:
                return
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    return
                self.buf += chunk

    def close(self):
        self.proc.kill()
        self.proc.wait()


def set_count(spec):
    result = subprocess.run(["nft", "list", "set"] + spec.split(), capture_output=True)
    return len(Monitor.ADDR.findall(result.stdout)) if result.returncode == 0 else 0


def percentile(values, p):
    """Nearest rank."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    opts = {}
    while args and args[0].startswith("--"):
        if args[0] == "--":
            args = args[1:]
            break
        opts[args[0][2:]] = args[1]
        args = args[2:]

    if mode == "ask":  # ask --proto P --sock S WORDS…: prints the value as JSON
        ok, value = ask(opts["proto"], opts["sock"], args, float(opts.get("timeout", 30)))
        print(json.dumps(value, default=str))
        sys.exit(0 if ok else 1)

    if mode == "status":  # status --proto P --sock S: `status sshd`, flattened
        ok, value = ask(opts["proto"], opts["sock"], ["status", "sshd"])
        if not ok:
            sys.exit("status sshd failed: %s" % value)
        d = flatten(value, {})
        print("total_failed=%s total_banned=%s currently_banned=%s" % (
            d.get("Total failed", "?"), d.get("Total banned", "?"), d.get("Currently banned", "?")))
        return

    if mode == "ready":  # ready --proto P --sock S --timeout T
        ok = wait_ready(opts["proto"], opts["sock"], now() + float(opts.get("timeout", 60)))
        sys.exit(0 if ok else 1)

    if mode == "count":  # count --set SPEC --want N --timeout T: waits until the set holds N addresses
        deadline = now() + float(opts["timeout"])
        want = int(opts["want"])
        n = set_count(opts["set"])
        while n < want and now() < deadline:
            time.sleep(0.05)
            n = set_count(opts["set"])
        print(n)
        sys.exit(0 if n >= want else 1)

    if mode == "startup":  # startup --proto P --sock S --pidfile F --out O --rss-after S -- ARGV…
        t0 = now()
        proc = spawn(args, opts["pidfile"], opts["out"])
        ready = wait_ready(opts["proto"], opts["sock"], t0 + float(opts.get("timeout", 60)), 0.001)
        t1 = now()
        if not ready:
            print("startup_s=timeout rss_kib=-1")
            sys.exit(1)
        time.sleep(max(0.0, t0 + float(opts["rss-after"]) - now()))
        m = memory_kib(proc.pid) if proc.poll() is None else memory_kib(-1)
        print("startup_s=%.4f rss_kib=%d anon_kib=%d file_kib=%d" % (t1 - t0, m["VmRSS"], m["RssAnon"], m["RssFile"]))
        return

    if mode == "throughput":
        # throughput --template T --log L --daemon-log D --sentinel IP --count K --timeout S
        with open(opts["template"], "rb") as f:
            body = f.read().splitlines(keepends=True)
        stamp = syslog_stamp().encode()
        payload = b"".join(stamp + line[15:] for line in body)
        payload += b"".join(failure_line(opts["sentinel"], n) for n in range(int(opts["count"])))
        pattern = re.compile(rb"\] Ban %s\n" % re.escape(opts["sentinel"].encode()))
        dlog = open(opts["daemon-log"], "rb")
        dlog.seek(0, os.SEEK_END)
        tail = b""
        t0 = now()
        append(opts["log"], payload)
        t_written = now()
        deadline = t0 + float(opts["timeout"])
        while now() < deadline:
            chunk = dlog.read()
            if chunk:
                tail = tail[-200:] + chunk
                if pattern.search(tail):
                    print("elapsed_s=%.4f write_s=%.4f bytes=%d" % (now() - t0, t_written - t0, len(payload)))
                    return
            else:
                time.sleep(0.001)
        print("elapsed_s=timeout write_s=%.4f bytes=%d" % (t_written - t0, len(payload)))
        sys.exit(1)

    if mode == "latency":
        # latency --log L --net A.B --samples N --gap S --timeout S --out FILE [--floor SETSPEC]
        mon = Monitor()
        samples, timeouts = [], 0
        floor = opts.get("floor")
        for i in range(int(opts["samples"]) + 1):  # sample 0 is the warm-up, not counted
            address = "%s.%d.%d" % (opts["net"], (i + 1) // 250, (i + 1) % 250 + 1)
            t0 = now()
            if floor:
                subprocess.run(["/bin/sh", "-c", "nft add element %s { %s }" % (floor, address)], check=True)
            else:
                append(opts["log"], failure_line(address, i))
            found = None
            for t, line in mon.lines(t0 + float(opts["timeout"])):
                if address.encode() in Monitor.ADDR.findall(line):
                    found = t
                    break
            if i > 0:
                if found is None:
                    timeouts += 1
                else:
                    samples.append((found - t0) * 1000.0)
            elif found is None:
                print("n=0 timeouts=1 (warm-up ban never reached the kernel)")
                sys.exit(1)
            time.sleep(float(opts["gap"]))
        mon.close()
        with open(opts["out"], "w") as f:
            f.write("\n".join("%.3f" % v for v in samples) + "\n")
        if not samples:
            print("n=0 timeouts=%d" % timeouts)
            sys.exit(1)
        print("n=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f min_ms=%.2f max_ms=%.2f" % (
            len(samples), timeouts, percentile(samples, 50), percentile(samples, 99), min(samples), max(samples)))
        return

    if mode == "restore":
        # restore --ips FILE --cap S --pidfile F --out O -- ARGV…
        with open(opts["ips"]) as f:
            expected = set(line.strip().encode() for line in f if line.strip())
        mon = Monitor()
        seen = set()
        t0 = now()
        spawn(args, opts["pidfile"], opts["out"])
        t_last = None
        for t, line in mon.lines(t0 + float(opts["cap"])):
            fresh = expected.intersection(Monitor.ADDR.findall(line)) - seen
            if fresh:
                seen |= fresh
                t_last = t
                if len(seen) == len(expected):
                    break
        mon.close()
        done = len(seen) == len(expected)
        print("restore_s=%s restored=%d expected=%d" % ("%.3f" % (t_last - t0) if done else "cap", len(seen), len(expected)))
        return

    sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
PY
probe() { nsx "$py" "$probe" "$@"; }

# --- the two daemons --------------------------------------------------------------------------
daemons=(portcullis)
[ "$with_f2b" = 1 ] && daemons+=(fail2ban)
label() { if [ "$1" = portcullis ]; then echo "Portcullis"; else echo "fail2ban-server ${f2b_version:-(not run)}"; fi; }
server_cmd() { # DAEMON ETC
  if [ "$1" = portcullis ]; then echo "$bin server -f -x -c $2 start"; else echo "$(command -v fail2ban-server) -f -x -c $2 start"; fi
}
client_cmd() { if [ "$1" = portcullis ]; then echo "$bin client"; else command -v fail2ban-client; fi; }
proto() { if [ "$1" = portcullis ]; then echo pc; else echo f2b; fi; }
f2b_version=""
[ "$with_f2b" = 1 ] && f2b_version=$(fail2ban-server -V 2>/dev/null | head -1 | sed 's/^Fail2Ban v//')

# make_tree DIR JAIL-LOCAL-LINES…: DIR/etc = the stock tree + fail2ban.local + noop action +
# jail.local ([sshd] logpath = DIR/auth.log, then the given lines); empty DIR/auth.log.
make_tree() {
  local dir=$1; shift
  rm -rf "$dir"; mkdir -p "$dir"
  cp -a "$config" "$dir/etc"
  rm -f "$dir/etc/fail2ban.local" "$dir/etc/jail.local"
  cat > "$dir/etc/fail2ban.local" <<EOF
# bench/daemon.sh: everything of this daemon in $dir
[Definition]
loglevel = INFO
logtarget = $dir/daemon.log
socket = $dir/sock
pidfile = $dir/pid
dbfile = $dir/db.sqlite3
EOF
  cat > "$dir/etc/action.d/noop.conf" <<'EOF'
# bench/daemon.sh: an action that does nothing (throughput is about reading, not firewalls)
[Definition]
actionstart =
actionstop =
actioncheck =
actionban =
actionunban =
EOF
  { echo "[sshd]"; echo "enabled = true"; echo "logpath = $dir/auth.log"; printf '%s\n' "$@"; } > "$dir/etc/jail.local"
  : > "$dir/auth.log"
  : > "$dir/daemon.log"
}

# start_daemon DAEMON DIR: the server in the foreground in the namespace; waits until it answers.
start_daemon() {
  local d=$1 dir=$2
  # Not through nsx: `ip netns exec` execs the server, so $! is the server's own pid.
  # shellcheck disable=SC2046
  ip netns exec "$ns" $(server_cmd "$d" "$dir/etc") >> "$dir/stdout" 2>&1 &
  echo $! > "$dir/server.pid"
  if ! probe ready --proto "$(proto "$d")" --sock "$dir/sock" --timeout 120; then
    echo "$d did not come up; its log:" >&2; tail -30 "$dir/daemon.log" "$dir/stdout" >&2; exit 1
  fi
}

# stop_daemon DAEMON DIR: `CLIENT -s SOCK stop`, then waits for the process to end.
stop_daemon() {
  local d=$1 dir=$2 pid
  pid=$(cat "$dir/server.pid" 2>/dev/null || cat "$dir/pid" 2>/dev/null || true)
  # shellcheck disable=SC2046
  $(client_cmd "$d") -s "$dir/sock" stop > /dev/null 2>&1 || echo "warning: $d: client stop failed" >&2
  for _ in $(seq 600); do { [ -z "$pid" ] || ! alive "$pid"; } && break; sleep 0.1; done
  if [ -n "$pid" ] && alive "$pid"; then
    echo "warning: $d (pid $pid) still running 60 s after stop; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  nsx nft flush ruleset
}

keep_logs() { # NAME DIR
  cp "$2/daemon.log" "$out/daemon-logs/$1.log" 2>/dev/null || true
  [ -s "$2/stdout" ] && cp "$2/stdout" "$out/daemon-logs/$1.stdout" || true
}

kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; } # kv "a=1 b=2" b -> 2
ms() { awk -v s="$1" 'BEGIN { if (s ~ /^[0-9.]+$/) printf "%.0f", s * 1000; else print s }'; }

echo "machine: $(bench_machine)"
echo "namespace: $ns, work: $work"

# --- 1. throughput ----------------------------------------------------------------------------
template=$work/sample-$lines.log
"$bin" sample-log --lines "$lines" --seed "$seed" --start $(( $(date +%s) - 60 )) --output "$template"
if grep -q "$sentinel\b" "$template"; then echo "the sample log contains the sentinel $sentinel" >&2; exit 1; fi
tp_timeout=$(( lines / 500 + 120 ))
lines_per_second() { awk -v n="$lines" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; } # SECONDS -> rate of the throughput log
declare -A tp_rate tp_time tp_runs_text tp_found tp_status tp_backend tp_rate_with_write tp_time_with_write tp_runs_with_write
for d in "${daemons[@]}"; do
  times=(); texts=(); times_with_write=(); texts_with_write=()
  for i in $(seq 1 "$tp_runs"); do
    dir=$work/tp-$d-$i
    make_tree "$dir" "banaction = noop"
    start_daemon "$d" "$dir"
    maxretry=$(probe ask --proto "$(proto "$d")" --sock "$dir/sock" get sshd maxretry | tr -d '"')
    res=$(probe throughput --template "$template" --log "$dir/auth.log" --daemon-log "$dir/daemon.log" \
      --sentinel "$sentinel" --count "$maxretry" --timeout "$tp_timeout") || { echo "$d: throughput run timed out: $res" >&2; exit 1; }
    t_with_write=$(kv "$res" elapsed_s)
    t=$(awk -v e="$t_with_write" -v w="$(kv "$res" write_s)" 'BEGIN { printf "%.4f", e - w }')
    rate=$(lines_per_second "$t")
    sleep 1
    tp_status[$d]=$(probe status --proto "$(proto "$d")" --sock "$dir/sock")
    tp_found[$d]=$(grep -c '\] Found ' "$dir/daemon.log" || true)
    pid=$(cat "$dir/server.pid")
    if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'anon_inode:inotify'; then tp_backend[$d]="inotify"; else tp_backend[$d]="no inotify fd (polling)"; fi
    [ "$d" = fail2ban ] && tp_backend[$d]="$(sed -n "s/.*Jail 'sshd' uses \([a-z]*\).*/\1/p" "$dir/daemon.log" | head -1) (${tp_backend[$d]})"
    stop_daemon "$d" "$dir"
    keep_logs "throughput-$d" "$dir"
    times+=("$t"); texts+=("$(bench_fmt %.2f "$t")")
    times_with_write+=("$t_with_write"); texts_with_write+=("$(bench_fmt %.2f "$t_with_write")")
    echo "throughput $d run $i: $lines lines in ${t}s after the write = $rate lines/s (${t_with_write}s with the write of $(kv "$res" write_s)s; maxretry $maxretry; found ${tp_found[$d]}; ${tp_status[$d]})"
    rm -rf "$dir/db.sqlite3"
  done
  tp_time[$d]=$(bench_median "${times[@]}")
  tp_rate[$d]=$(lines_per_second "${tp_time[$d]}")
  tp_runs_text[$d]=$(IFS=,; echo "${texts[*]}" | sed 's/,/, /g')
  tp_time_with_write[$d]=$(bench_median "${times_with_write[@]}")
  tp_rate_with_write[$d]=$(lines_per_second "${tp_time_with_write[$d]}")
  tp_runs_with_write[$d]=$(IFS=,; echo "${texts_with_write[*]}" | sed 's/,/, /g')
done

# --- 2. latency -------------------------------------------------------------------------------
# BENCH_LATENCY_RUNS runs per daemon, each on a fresh daemon; the reported p50 and p99 are the
# medians of the runs' (one run on a busy shared machine can hold a neighbour's burst).
declare -A lat_res lat_runs_text
floor_res=""
# lat_median RESULT…: one result line from several runs (median p50/p99, overall min/max, n summed)
lat_median() {
  local r p50s=() p99s=() mins=() maxs=() n=0 timeouts=0
  for r in "$@"; do
    p50s+=("$(kv "$r" p50_ms)"); p99s+=("$(kv "$r" p99_ms)"); mins+=("$(kv "$r" min_ms)"); maxs+=("$(kv "$r" max_ms)")
    n=$(( n + $(kv "$r" n) )); timeouts=$(( timeouts + $(kv "$r" timeouts) ))
  done
  echo "n=$n timeouts=$timeouts p50_ms=$(bench_median "${p50s[@]}") p99_ms=$(bench_median "${p99s[@]}")" \
    "min_ms=$(printf '%s\n' "${mins[@]}" | sort -g | head -1) max_ms=$(printf '%s\n' "${maxs[@]}" | sort -g | tail -1)"
}
for d in "${daemons[@]}"; do
  results=(); p99s=()
  for i in $(seq 1 "$lat_runs"); do
    dir=$work/lat-$d-$i
    make_tree "$dir" "banaction = nftables" "maxretry = 1"
    start_daemon "$d" "$dir"
    res=$(probe latency --log "$dir/auth.log" --net 100.65 --samples "$lat_samples" --gap 0.05 --timeout 10 \
      --out "$out/daemon-latency-$d-$i.txt") || { echo "$d: latency: $res" >&2; tail -20 "$dir/daemon.log" >&2; exit 1; }
    echo "latency $d run $i: $res"
    results+=("$res"); p99s+=("$(kv "$res" p99_ms)")
    if [ "$d" = portcullis ] && [ "$i" = 1 ]; then
      floor_res=$(probe latency --log "$dir/auth.log" --net 100.67 --samples "$lat_samples" --gap 0.05 --timeout 10 \
        --out "$out/daemon-latency-floor.txt" --floor "inet f2b-table addr-set-sshd") || floor_res=""
      echo "latency floor (sh -c 'nft add element …'): $floor_res"
    fi
    stop_daemon "$d" "$dir"
    keep_logs "latency-$d" "$dir"
  done
  lat_res[$d]=$(lat_median "${results[@]}")
  lat_runs_text[$d]=$(IFS=,; echo "${p99s[*]}" | sed 's/,/, /g')
done

# --- 3 & 4. startup and idle RSS --------------------------------------------------------------
small=$work/small.log
"$bin" sample-log --lines 1000 --seed "$seed" --start $(( $(date +%s) - 2 * 86400 )) --output "$small"
declare -A st_time st_rss st_anon st_file st_runs_text st_client
for d in "${daemons[@]}"; do
  times=(); rsss=(); anons=(); files=(); texts=()
  for i in $(seq 1 "$st_runs"); do
    dir=$work/st-$d-$i
    make_tree "$dir" "banaction = nftables"
    cp "$small" "$dir/auth.log"
    # shellcheck disable=SC2046
    res=$(probe startup --proto "$(proto "$d")" --sock "$dir/sock" --pidfile "$dir/server.pid" --out "$dir/stdout" \
      --rss-after 5 -- $(server_cmd "$d" "$dir/etc")) || { echo "$d: startup: $res" >&2; tail -20 "$dir/daemon.log" >&2; exit 1; }
    times+=("$(kv "$res" startup_s)"); rsss+=("$(kv "$res" rss_kib)"); anons+=("$(kv "$res" anon_kib)"); files+=("$(kv "$res" file_kib)")
    texts+=("$(bench_fmt %.3f "$(kv "$res" startup_s)") s / $(bench_fmt %.1f "$(awk -v k="$(kv "$res" rss_kib)" 'BEGIN { print k / 1024 }')") MiB")
    echo "startup $d run $i: $res"
    stop_daemon "$d" "$dir"
    keep_logs "startup-$d" "$dir"
  done
  st_time[$d]=$(bench_median "${times[@]}")
  st_rss[$d]=$(bench_median "${rsss[@]}")
  st_anon[$d]=$(bench_median "${anons[@]}")
  st_file[$d]=$(bench_median "${files[@]}")
  st_runs_text[$d]=$(IFS=';'; echo "${texts[*]}" | sed 's/;/; /g')
  # The background way, once: CLIENT -c DIR start (returns when the server answers), then status.
  dir=$work/stc-$d
  make_tree "$dir" "banaction = nftables"
  cp "$small" "$dir/auth.log"
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  if nsx $(client_cmd "$d") -c "$dir/etc" -s "$dir/sock" start > "$dir/stdout" 2>&1 &&
     probe ready --proto "$(proto "$d")" --sock "$dir/sock" --timeout 60; then
    st_client[$d]=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    $(client_cmd "$d") -s "$dir/sock" status sshd > "$dir/status.txt" 2>&1 || st_client[$d]="status failed"
  else
    st_client[$d]="failed"; cat "$dir/stdout" >&2
  fi
  echo "client start $d: ${st_client[$d]} s"
  stop_daemon "$d" "$dir"
done

# --- 5. restore -------------------------------------------------------------------------------
ips=$work/restore-ips.txt
for i in $(seq 0 $(( rs_bans - 1 ))); do echo "100.66.$(( i / 250 )).$(( i % 250 + 1 ))"; done > "$ips"
declare -A rs_res rs_ban
for d in "${daemons[@]}"; do
  dir=$work/rs-$d
  make_tree "$dir" "banaction = nftables" "bantime = 1d"
  start_daemon "$d" "$dir"
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  xargs -n 100 < "$ips" | while read -r batch; do
    $(client_cmd "$d") -s "$dir/sock" set sshd banip $batch > /dev/null
  done
  n=$(probe count --set "inet f2b-table addr-set-sshd" --want "$rs_bans" --timeout 900) ||
    { echo "$d: only $n of $rs_bans bans reached the kernel" >&2; exit 1; }
  rs_ban[$d]=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  echo "restore $d: $rs_bans bans applied at runtime in ${rs_ban[$d]} s; stopping"
  stop_daemon "$d" "$dir"
  [ "$(nsx nft list ruleset | wc -l)" = 0 ] || { echo "ruleset not empty after flush" >&2; exit 1; }
  # shellcheck disable=SC2046
  rs_res[$d]=$(probe restore --ips "$ips" --cap "$rs_cap" --pidfile "$dir/server.pid" --out "$dir/stdout" \
    -- $(server_cmd "$d" "$dir/etc"))
  echo "restore $d: ${rs_res[$d]}"
  probe ready --proto "$(proto "$d")" --sock "$dir/sock" --timeout 60 || true
  stop_daemon "$d" "$dir"
  keep_logs "restore-$d" "$dir"
done

# --- report -----------------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.1f", k / 1024; else print k }'; }
lat_cell() { # RESULT
  [ -n "$1" ] || { echo "—"; return; }
  echo "$(kv "$1" p50_ms) / $(kv "$1" p99_ms) (min $(kv "$1" min_ms), max $(kv "$1" max_ms), n=$(kv "$1" n)$( [ "$(kv "$1" timeouts)" = 0 ] || echo ", $(kv "$1" timeouts) timeouts"))"
}
rs_cell() { # RESULT
  local s; s=$(kv "$1" restore_s)
  if [ "$s" = cap ]; then echo "> $rs_cap (restored $(kv "$1" restored) of $(kv "$1" expected))"; else echo "$s"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.1f×", a / b; else print "—" }'; }
col() { # DAEMON VALUE: the fail2ban column is "not run" without BENCH_F2B
  if [ "$1" = fail2ban ] && [ "$with_f2b" != 1 ]; then echo "not run"; else echo "$2"; fi
}
f=fail2ban; p=portcullis
rs_p=$(kv "${rs_res[$p]}" restore_s); rs_f=$(kv "${rs_res[$f]:-}" restore_s)
[ "$rs_f" = cap ] && rs_f=$rs_cap
{
  echo "## Portcullis daemon vs fail2ban-server — same machine, same /etc/fail2ban, same logs"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(bench_machine)."
  echo "$("$bin" client --version 2>/dev/null | head -1); fail2ban-server ${f2b_version:-not run} (Python $($py -c 'import platform; print(platform.python_version())'))."
  echo "Each daemon runs in network namespace \`$ns\` with a private copy of $config (see bench/daemon.sh)."
  echo
  echo "| | Portcullis | $(label fail2ban) | ratio | goal |"
  echo "|---|---:|---:|---:|---|"
  echo "| throughput: $(bench_thousands "$lines") appended lines, lines/s from the append's end (median of $tp_runs) | $(bench_thousands "${tp_rate[$p]}") | $(col $f "$(bench_thousands "${tp_rate[$f]:-}")") | $(ratio "${tp_rate[$p]}" "${tp_rate[$f]:-}") | ≥ 50× |"
  echo "| … time to process them, s (runs) | $(bench_fmt %.3f "${tp_time[$p]}") (${tp_runs_text[$p]}) | $(col $f "$(bench_fmt %.3f "${tp_time[$f]:-}") (${tp_runs_text[$f]:-})") | | |"
  echo "| … counted from before the write(2), lines/s; s (runs) | $(bench_thousands "${tp_rate_with_write[$p]}"); $(bench_fmt %.3f "${tp_time_with_write[$p]}") (${tp_runs_with_write[$p]}) | $(col $f "$(bench_thousands "${tp_rate_with_write[$f]:-}"); $(bench_fmt %.3f "${tp_time_with_write[$f]:-}") (${tp_runs_with_write[$f]:-})") | $(ratio "${tp_rate_with_write[$p]}" "${tp_rate_with_write[$f]:-}") | |"
  echo "| latency, line written → element in the kernel set, p50 / p99 ms (median of $lat_runs runs) | $(lat_cell "${lat_res[$p]}") | $(col $f "$(lat_cell "${lat_res[$f]:-}")") | | p99 < 10 ms |"
  echo "| … p99 of each run, ms | ${lat_runs_text[$p]} | $(col $f "${lat_runs_text[$f]:-}") | | |"
  echo "| … for scale: the stock action's \`sh -c 'nft add element …'\` alone, p50 / p99 ms | $(lat_cell "$floor_res") | | | |"
  echo "| startup, spawn → \`ping\` + \`status sshd\` answer, s (median of $st_runs) | $(bench_fmt %.3f "${st_time[$p]}") | $(col $f "$(bench_fmt %.3f "${st_time[$f]:-}")") | $(ratio "${st_time[$f]:-}" "${st_time[$p]}") | |"
  echo "| … \`CLIENT -c DIR start\` (background server) → answering, s (once) | ${st_client[$p]} | $(col $f "${st_client[$f]:-}") | | |"
  echo "| idle RSS 5 s after start, stock sshd jail, MiB (median of $st_runs) | $(mib "${st_rss[$p]}") | $(col $f "$(mib "${st_rss[$f]:-}")") | $(ratio "${st_rss[$f]:-}" "${st_rss[$p]}") | < 10 MB |"
  echo "| … of which anonymous / file-backed (RssAnon / RssFile), MiB | $(mib "${st_anon[$p]}") / $(mib "${st_file[$p]}") | $(col $f "$(mib "${st_anon[$f]:-}") / $(mib "${st_file[$f]:-}")") | | |"
  echo "| restore $(bench_thousands "$rs_bans") bans at start (stock nftables), spawn → all in the kernel, s | $(rs_cell "${rs_res[$p]}") | $(col $f "$( [ -n "${rs_res[$f]:-}" ] && rs_cell "${rs_res[$f]}")") | $(ratio "$rs_f" "$rs_p") | faster than fail2ban |"
  echo "| … the same $(bench_thousands "$rs_bans") bans at runtime (\`set sshd banip\`, batches of 100) → all in the kernel, s | ${rs_ban[$p]} | $(col $f "${rs_ban[$f]:-}") | | |"
  echo
  echo "Work done in the throughput runs (last run; both should agree):"
  echo
  for d in "${daemons[@]}"; do
    echo "- $(label "$d"): ${tp_found[$d]} \`Found\` lines in its log; \`status sshd\`: ${tp_status[$d]}; file backend: ${tp_backend[$d]}."
  done
  echo
  echo "Startup and RSS runs: Portcullis ${st_runs_text[$p]}$( [ "$with_f2b" = 1 ] && echo "; fail2ban ${st_runs_text[$f]}")."
  echo
  echo "Commands (DIR = the daemon's private tree, SOCK = DIR/../sock):"
  echo
  echo "- servers: \`ip netns exec $ns $(server_cmd portcullis DIR)\` and \`ip netns exec $ns $(server_cmd fail2ban DIR)\`"
  echo "- clients: \`$(client_cmd portcullis) -s SOCK …\` and \`$(client_cmd fail2ban) -s SOCK …\`"
  echo "- throughput log: \`portcullis sample-log --lines $lines --seed $seed\`, timestamps set to the current second, + maxretry failures from $sentinel, one write(2), the clock running from its return to the sentinel's `Ban`; jail.local \`[sshd] banaction = noop\`"
  echo "- latency: jail.local \`[sshd] banaction = nftables\`, \`maxretry = 1\`; one \`Failed password for invalid user bench from 100.65.x.y\` line per sample; \`nft monitor elements\`"
  echo "- startup/RSS: jail.local \`[sshd] banaction = nftables\`; log: \`portcullis sample-log --lines 1000 --seed $seed --start (now − 2 days)\`"
  echo "- restore: jail.local \`[sshd] banaction = nftables\`, \`bantime = 1d\`; \`CLIENT -s SOCK set sshd banip IP…\` ×$(( (rs_bans + 99) / 100 )), \`CLIENT -s SOCK stop\`, \`nft flush ruleset\`, server started again"
} > "$out/daemon.md"

echo
cat "$out/daemon.md"
echo
echo "written: $out/daemon.md"
