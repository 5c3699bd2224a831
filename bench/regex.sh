#!/usr/bin/env bash
# `make bench`: portcullis regex against fail2ban-regex on a generated sshd log, both
# with the stock sshd filter from /etc/fail2ban.
#
#   BENCH_LINES=1000000  lines in the generated log
#   BENCH_SEED=42        generator seed (same seed, same log)
#   BENCH_RUNS=3         runs of portcullis regex (the median is reported)
#   BENCH_F2B_RUNS=1     runs of fail2ban-regex (~70 s per 1M lines; 0 skips it)
#
# Results: printed, and written to bench-out/regex.md.
set -euo pipefail
cd "$(dirname "$0")/.."

lines=${BENCH_LINES:-1000000}
seed=${BENCH_SEED:-42}
runs=${BENCH_RUNS:-3}
f2b_runs=${BENCH_F2B_RUNS:-1}
config=/etc/fail2ban
out=bench-out
bin=.build/release/portcullis
log=$out/auth-$lines-s$seed.log

# --- tools: fail2ban (reference + stock filters), GNU time, taskset ----------------------
need=()
command -v fail2ban-regex >/dev/null 2>&1 || need+=(fail2ban)
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 || need+=(time)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
[ -f "$config/filter.d/sshd.conf" ] || { echo "no $config/filter.d/sshd.conf (is fail2ban installed?)" >&2; exit 1; }

make --no-print-directory release
mkdir -p "$out"

# --- the log -------------------------------------------------------------------------------
t0=$(date +%s.%N)
"$bin" sample-log --lines "$lines" --seed "$seed" --output "$log"
t1=$(date +%s.%N)
gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
sum1=$(md5sum < "$log")
sum2=$("$bin" sample-log --lines "$lines" --seed "$seed" | md5sum)
[ "$sum1" = "$sum2" ] || { echo "sample-log is not deterministic for seed $seed" >&2; exit 1; }
printf 'log: %s (%d lines, %s MiB), generated in %.2f s, deterministic\n' \
  "$log" "$lines" "$(( $(stat -c %s "$log") / 1048576 ))" "$gen_s"

# --- measuring -----------------------------------------------------------------------------
# measure NAME CMD...: runs CMD under GNU time; sets wall (s), rss (KiB), summary (Lines: …).
measure() {
  local name=$1; shift
  local tfile=$out/$name.time ofile=$out/$name.out
  /usr/bin/time -v -o "$tfile" "$@" > "$ofile" 2>&1 || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tfile")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile")
  summary=$(grep -a -m1 '^Lines:' "$ofile" || true)
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$lines" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

ours_cmd=("$bin" regex -c "$config" "$log" sshd)
walls=(); rsss=(); ours_summary=""
for i in $(seq 1 "$runs"); do
  measure "portcullis-$i" "${ours_cmd[@]}"
  walls+=("$wall"); rsss+=("$rss"); ours_summary=$summary
  echo "portcullis regex run $i: ${wall}s, peak RSS $(mib "$rss") MiB"
done
ours_wall=$(median "${walls[@]}")
ours_rss=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -1)

measure portcullis-1core taskset -c 0 "${ours_cmd[@]}"
one_wall=$wall one_rss=$rss one_summary=$summary
echo "portcullis regex, 1 core (taskset -c 0): ${one_wall}s, peak RSS $(mib "$one_rss") MiB"

f2b_wall="" f2b_rss="" f2b_summary=""
if [ "$f2b_runs" -gt 0 ]; then
  f2b_walls=()
  for i in $(seq 1 "$f2b_runs"); do
    measure "fail2ban-regex-$i" fail2ban-regex -c "$config" "$log" sshd
    f2b_walls+=("$wall"); f2b_rss=$rss; f2b_summary=$summary
    echo "fail2ban-regex run $i: ${wall}s, peak RSS $(mib "$rss") MiB"
  done
  f2b_wall=$(median "${f2b_walls[@]}")
fi
f2b_version=$(fail2ban-regex -V 2>/dev/null | head -1)

# --- report --------------------------------------------------------------------------------
status=0
echo
echo "portcullis regex: ${ours_summary:-(no Lines: summary)}"
echo "fail2ban-regex:   ${f2b_summary:-(not run)}"
if [ -z "$ours_summary" ]; then
  verdict="PENDING: portcullis regex printed no 'Lines:' summary (engine not landed yet)"
elif [ -z "$f2b_summary" ]; then
  verdict="not compared (fail2ban-regex not run)"
elif [ "$ours_summary" = "$f2b_summary" ] && [ "$one_summary" = "$ours_summary" ]; then
  verdict="EQUAL"
else
  verdict="DIFFERENT"; status=1
fi
echo "summaries: $verdict"

cell() { # wall rss summary-present
  if [ -z "$1" ]; then echo "| not run | | |"; elif [ -z "$3" ]; then echo "| pending | | |"
  else echo "| $(rate "$1") | $1 | $(mib "$2") |"; fi
}
ratio="n/a"
if [ -n "$ours_summary" ] && [ -n "$f2b_wall" ]; then
  ratio=$(awk -v a="$f2b_wall" -v b="$ours_wall" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
fi
{
  echo "## portcullis regex vs fail2ban-regex — $lines lines"
  echo
  echo "Log: \`portcullis sample-log --lines $lines --seed $seed\` ($(( $(stat -c %s "$log") / 1048576 )) MiB); filter: stock \`sshd\` from $config."
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); fail2ban-regex ${f2b_version:-?}; $(date -u +%Y-%m-%d)."
  echo
  echo "| | lines/s | wall (s) | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|"
  echo "| portcullis regex (median of $runs) $(cell "$ours_wall" "$ours_rss" "$ours_summary")"
  echo "| portcullis regex, 1 core (\`taskset -c 0\`) $(cell "$one_wall" "$one_rss" "$one_summary")"
  echo "| fail2ban-regex (median of $f2b_runs) $(cell "$f2b_wall" "$f2b_rss" "$f2b_summary")"
  echo
  echo "Speed-up: $ratio. Summaries: $verdict."
  echo
  echo "- portcullis: \`${ours_summary:-—}\`"
  echo "- fail2ban-regex: \`${f2b_summary:-—}\`"
} > "$out/regex.md"

echo
if [ -n "$ours_summary" ]; then
  echo "portcullis regex: $(rate "$ours_wall") lines/s (${ours_wall}s), 1 core $(rate "$one_wall") lines/s, peak RSS $(mib "$ours_rss") MiB"
fi
if [ -n "$f2b_wall" ]; then
  echo "fail2ban-regex:   $(rate "$f2b_wall") lines/s (${f2b_wall}s), peak RSS $(mib "$f2b_rss") MiB"
fi
echo "speed-up: $ratio"
echo "written: $out/regex.md"
exit $status
