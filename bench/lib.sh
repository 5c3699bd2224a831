# Shared helpers for the bench/*.sh scripts (sourced, not run).

# bench_need_packages PKG...: installs the Debian packages that are missing (as root, with
# apt-get), or names them and exits.
bench_need_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
}

# bench_median VALUE...: the median (the lower middle one for an even count); empty for none.
bench_median() {
  [ $# -gt 0 ] || return 0
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench_fmt FORMAT VALUE: printf through awk (empty or non-numeric values pass through as they are).
bench_fmt() {
  awk -v f="$1" -v v="$2" 'BEGIN { if (v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) printf f, v; else printf "%s", v }'
}

# bench_thousands N: 1234567 -> 1,234,567.
bench_thousands() {
  printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# bench_machine: one line about the machine and its load, for reports.
bench_machine() {
  printf '%s cores (%s), load average %s, %s, %s' "$(nproc)" \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(uname -r)"
}
