#!/usr/bin/env bash
# Checks `portcullis sample-log`: deterministic for a seed, exact line count,
# non-decreasing timestamps, hostile extras present, and — when fail2ban-regex is
# installed — that the bundled filter (config/filter.d/sshd.conf) finds exactly what the
# stock sshd filter finds on the generated log, in normal and aggressive mode.
#
# usage: bench/check-sample-log.sh [PORTCULLIS_BINARY] [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-.build/release/portcullis}
lines=${2:-20000}
stock_filter=${STOCK_SSHD_FILTER:-/etc/fail2ban/filter.d/sshd.conf}
work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-sample-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "sample-log check FAILED: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "no executable $bin (build first)"

# 1. Determinism: same options, same bytes; another seed, other bytes.
"$bin" sample-log --lines "$lines" --seed 7 --output "$work/a.log"
"$bin" sample-log --lines "$lines" --seed 7 > "$work/b.log"
"$bin" sample-log --lines "$lines" --seed 8 --output "$work/c.log"
cmp -s "$work/a.log" "$work/b.log" || fail "same seed gave different output (--output vs stdout)"
if cmp -s "$work/a.log" "$work/c.log"; then fail "seeds 7 and 8 gave the same output"; fi

# 2. Exact line count, syslog shape, non-decreasing time (the default start is in
#    December: month index from the abbreviation, no year wrap in the default span).
n=$(wc -l < "$work/a.log")
[ "$n" -eq "$lines" ] || fail "asked for $lines lines, got $n"
LC_ALL=C awk '
  BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " "); for (i in m) mon[m[i]] = i }
  {
    if ($0 !~ /^[A-Z][a-z][a-z] [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] [^ ]+ [A-Za-z]+\[[0-9]+\]: /) { print "bad line " NR ": " $0; exit 1 }
    split($3, t, ":"); key = ((mon[$1] * 32 + $2) * 24 + t[1]) * 3600 + t[2] * 60 + t[3]
    if (key < last) { print "time goes backwards at line " NR; exit 1 }
    last = key
  }' "$work/a.log" || fail "shape or time order"

# 3. A share of IPv6 addresses, and none with --ipv6-share 0.
grep -Eq 'from [0-9a-f]+:[0-9a-f:]+ port' "$work/a.log" || fail "no IPv6 addresses"
"$bin" sample-log --lines "$lines" --seed 7 --ipv6-share 0 > "$work/v4.log"
if grep -Eq 'from [0-9a-f]+:[0-9a-f:]+ port' "$work/v4.log"; then fail "IPv6 addresses with --ipv6-share 0"; fi

# 4. --hostile: invalid UTF-8, lines over 4 KiB, injected addresses in user names.
"$bin" sample-log --lines "$lines" --seed 7 --hostile --output "$work/h.log"
[ "$(wc -l < "$work/h.log")" -eq "$lines" ] || fail "--hostile line count"
LC_ALL=C grep -q $'\xff\xfe\|\xc3(' "$work/h.log" || fail "--hostile: no invalid UTF-8"
LC_ALL=C awk 'length($0) > 4096 { found = 1 } END { exit !found }' "$work/h.log" || fail "--hostile: no long lines"
grep -aq 'invalid user from 1\.2\.3\.4 from ' "$work/h.log" || fail "--hostile: no address injection"

echo "sample-log: deterministic, $lines lines, ordered, IPv4+IPv6, hostile extras: ok"

# 5. The bundled filter against the stock one (needs fail2ban-regex; skipped without).
if command -v fail2ban-regex >/dev/null 2>&1 && [ -f "$stock_filter" ]; then
  for mode in normal aggressive; do
    ours=$(fail2ban-regex "$work/a.log" "config/filter.d/sshd.conf[mode=$mode]" | grep '^Lines:')
    stock=$(fail2ban-regex "$work/a.log" "$stock_filter[mode=$mode]" | grep '^Lines:')
    [ "$ours" = "$stock" ] || fail "mode=$mode: bundled filter '$ours' vs stock '$stock'"
    echo "config/filter.d/sshd.conf = stock sshd filter (mode=$mode): $ours"
  done
else
  echo "fail2ban-regex not installed: bundled-vs-stock filter comparison skipped"
fi
