# Portcullis — the two set-up commands are `make run` and `make test`.
SWIFT       ?= swift
BUILD_FLAGS ?=
DEB_PACKAGES := libpcre2-dev pkg-config libsqlite3-dev libsystemd-dev systemd-journal-remote nftables iptables ipset iproute2 procps

# `make run`: a generated auth log through the bundled sshd filter.
STATE      ?= state
RUN_LINES  ?= 20000
RUN_SEED   ?= 1
PORTCULLIS ?= .build/release/portcullis

.PHONY: deps build release run test check-sample bench clean

# Installs the Debian packages the build needs, when missing and when we are root.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 1; fi; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

# Generates $(STATE)/auth.log ($(RUN_LINES) lines, seed $(RUN_SEED)) and runs the filter
# engine on it with the bundled sshd filter; ends with fail2ban-regex's summary line.
# $(STATE)/etc is the bundled config with a fail2ban.local keeping the daemon's socket,
# pid file, database and log under $(STATE)/ (for the daemon, next milestone).
run: release
	@mkdir -p $(STATE)
	$(PORTCULLIS) sample-log --lines $(RUN_LINES) --seed $(RUN_SEED) --output $(STATE)/auth.log
	@rm -rf $(STATE)/etc && cp -R config $(STATE)/etc && \
	{ echo "# Written by make run: everything under $(CURDIR)/$(STATE)"; \
	  echo "[Definition]"; \
	  echo "logtarget = $(CURDIR)/$(STATE)/portcullis.log"; \
	  echo "socket = $(CURDIR)/$(STATE)/portcullis.sock"; \
	  echo "pidfile = $(CURDIR)/$(STATE)/portcullis.pid"; \
	  echo "dbfile = $(CURDIR)/$(STATE)/portcullis.sqlite3"; } > $(STATE)/etc/fail2ban.local
	$(PORTCULLIS) regex $(STATE)/auth.log config/filter.d/sshd.conf

# The Swift test suite, then the sample-log generator checks (debug build from `swift test`).
test: deps
	$(SWIFT) test $(BUILD_FLAGS)
	bench/check-sample-log.sh "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/portcullis" 20000

# The sample-log generator checks alone, on the release build.
check-sample: release
	bench/check-sample-log.sh $(PORTCULLIS) 20000

# portcullis regex vs fail2ban-regex on a 1M-line log (BENCH_LINES=… to change); see bench/regex.sh.
bench:
	bench/regex.sh

clean:
	rm -rf .build bench-out $(STATE)
