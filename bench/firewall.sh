#!/usr/bin/env bash
# `make bench`, third part: Portcullis' native set backend and blocklist feeds, against the
# kernel's own floor (one `nft -f` file loading the same elements). Portcullis only: fail2ban has
# no set backend and no feeds (its Krawl recipe bans a list one `iptables` command per address).
#
# Safety: everything runs inside a network namespace made here (`ip netns add pcfw-PID`), removed
# on exit with the daemon and the temporary tree. Needs root.
#
# Measurements (median of BENCH_FIREWALL_RUNS runs each):
# 1. Feed apply — `[feed-bench] path = FILE` with BENCH_FEED_SIZE addresses (hosts and /24s); the
#    daemon starts on it and reports the first apply (`… addresses from FILE (+N -0) applied in X s`:
#    parse, difference, one `nft -f -` transaction). Against: `nft -f` of a file that creates the
#    same sets (hash set for hosts, interval set for networks) with the same elements.
# 2. Restore — `[sshd] banaction = portcullis-nftables`, `bantime = 1d`, BENCH_RESTORE_NATIVE bans
#    made with `client set sshd banip` (batches of 25,000), `client stop`, `nft flush ruleset`, then
#    the server is started again: spawn → the daemon's `N bans applied in one transaction` line.
# 3. Repair — with those bans in place, `nft flush ruleset` → the reconciler's `Firewall repaired`
#    line (netlink notification, then one transaction with every element); then the element
#    count is checked.
#
# Options (environment): BENCH_FEED_SIZE=100000, BENCH_RESTORE_NATIVE=100000, BENCH_FIREWALL_RUNS=3.
# Results: printed, and written to bench-out/firewall.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

feed_size=${BENCH_FEED_SIZE:-100000}
bans=${BENCH_RESTORE_NATIVE:-100000}
runs=${BENCH_FIREWALL_RUNS:-3}
bin=$PWD/.build/release/portcullis
out=bench-out

[ "$(id -u)" = 0 ] || { echo "bench/firewall.sh needs root (network namespaces, nftables)" >&2; exit 1; }
bench_need_packages nftables iproute2 python3
make --no-print-directory release
mkdir -p "$out"

ns=pcfw-$$
work=$(mktemp -d /tmp/pcfw.XXXXXX)
daemon_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$daemon_pid" ] && kill -KILL "$daemon_pid" 2>/dev/null || true
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$ns"
ip -n "$ns" link set lo up
nsx() { ip netns exec "$ns" "$@"; }
now() { date +%s.%N; }

# A private copy of the bundled config, everything under $work.
tree() {
  rm -rf "$work/etc" "$work/state"; mkdir -p "$work/state"
  cp -R config "$work/etc"
  printf '[Definition]\nloglevel = INFO\nlogtarget = %s\nsocket = %s\npidfile = %s\ndbfile = %s\n' \
    "$work/state/log" "$work/state/sock" "$work/state/pid" "$work/state/db.sqlite3" > "$work/etc/fail2ban.local"
  : > "$work/state/auth.log"
  printf '%s\n' "$@" > "$work/etc/jail.local"
}

# wait_line PATTERN: waits (up to 60 s, looking every 20 ms) until the daemon's log has a line
# with PATTERN written after the log was emptied last.
wait_line() {
  local deadline=$(( $(date +%s) + 60 ))
  until grep -q -F -- "$1" "$work/state/log"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for: $1" >&2; tail -5 "$work/state/log" >&2; exit 1; }
    sleep 0.02
  done
}

# start_until PATTERN: starts the daemon in the namespace, waits for PATTERN in its log, and
# prints the seconds from the spawn to then.
start_until() {
  local t0 t1
  : > "$work/state/log"
  t0=$(now)
  nsx "$bin" server -f -x -c "$work/etc" >/dev/null 2>&1 & daemon_pid=$!
  wait_line "$1"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

stop_daemon() {
  "$bin" client -s "$work/state/sock" stop >/dev/null 2>&1 || true
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=
}

# --- 1. feed apply vs nft -f ------------------------------------------------------------------
python3 - "$feed_size" > "$work/feed.txt" <<'PY'
import sys
n = int(sys.argv[1]); nets = n // 100
for i in range(n - nets): print(f"172.{16 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}")
for i in range(nets): print(f"10.{100 + (i >> 8)}.{i & 255}.0/24")
PY
python3 - "$work/feed.txt" > "$work/direct.nft" <<'PY'
import sys
hosts, nets = [], []
for line in open(sys.argv[1]):
    (nets if "/" in line else hosts).append(line.strip())
print("table inet pcdirect {")
print("  set b4 { type ipv4_addr; elements = { " + ", ".join(hosts) + " } }")
print("  set n4 { type ipv4_addr; flags interval; elements = { " + ", ".join(nets) + " } }")
print("}")
PY
feed_apply=() feed_spawn=() direct=()
for _ in $(seq "$runs"); do
  nsx nft flush ruleset
  tree "[feed-bench]" "path = $work/feed.txt" "interval = 1h"
  rm -rf "$work/state/portcullis-feeds"
  feed_spawn+=("$(start_until "applied in")")
  feed_apply+=("$(grep -o 'applied in [0-9.]*' "$work/state/log" | head -1 | awk '{ print $3 }')")
  elements=$(nsx nft -j list table inet portcullis | grep -o '"elem"\|"172\.[0-9.]*"\|"prefix"' | grep -c . || true)
  stop_daemon
  nsx nft flush ruleset
  t0=$(now); nsx nft -f "$work/direct.nft"; t1=$(now)
  direct+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
done
fa=$(bench_median "${feed_apply[@]}"); fs=$(bench_median "${feed_spawn[@]}"); fd=$(bench_median "${direct[@]}")

# --- 2. restore, 3. repair ----------------------------------------------------------------------
restore=() repair=() counts=()
python3 - "$bans" > "$work/bans.txt" <<'PY'
import sys
for i in range(int(sys.argv[1])): print(f"100.{64 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}")
PY
split -l 25000 "$work/bans.txt" "$work/bans."
for _ in $(seq "$runs"); do
  nsx nft flush ruleset
  tree "[sshd]" "enabled = true" "logpath = $work/state/auth.log" "port = 22" "banaction = portcullis-nftables" "bantime = 1d"
  start_until "Jail 'sshd' started" >/dev/null
  for f in "$work"/bans.??; do "$bin" client -s "$work/state/sock" set sshd banip $(cat "$f") >/dev/null; done
  stop_daemon
  nsx nft flush ruleset
  restore+=("$(start_until "$bans bans applied in one transaction")")
  sleep 6   # the first reconciler passes after the start settle
  : > "$work/state/log"
  t0=$(now); nsx nft flush ruleset
  wait_line "Firewall repaired"
  t1=$(now)
  repair+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  counts+=("$(nsx nft -j list table inet portcullis | grep -o '"100\.[0-9.]*"' | sort -u | wc -l)")
  stop_daemon
done
rs=$(bench_median "${restore[@]}"); rp=$(bench_median "${repair[@]}")

{
  echo "## Native sets and feeds (\`bench/firewall.sh\`)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(bench_machine). Median of $runs runs; all runs: feed ${feed_apply[*]}; nft -f ${direct[*]}; restore ${restore[*]}; repair ${repair[*]}."
  echo
  echo "| | Portcullis | kernel floor (\`nft -f\` file) | ratio | goal |"
  echo "|---|---:|---:|---:|---|"
  echo "| feed of $(bench_thousands "$feed_size") addresses, first apply (parse, diff, one transaction), s | $fa | $fd | $(awk -v a="$fa" -v b="$fd" 'BEGIN { printf "%.2f×", a / b }') | < 2 s, ≤ 3× |"
  echo "| … daemon spawn → feed applied, s | $fs | | | |"
  echo "| restore $(bench_thousands "$bans") bans at start, spawn → one transaction done, s | $rs | | | < 2 s |"
  echo "| repair after \`nft flush ruleset\` with $(bench_thousands "$bans") bans, s | $rp | | | < 2 s |"
  echo
  echo "Elements back after each repair: ${counts[*]} (expected $bans each)."
} > "$out/firewall.md"
echo; cat "$out/firewall.md"; echo; echo "written: $out/firewall.md"
