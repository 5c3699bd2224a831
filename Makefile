# Portcullis — the two set-up commands are `make run` and `make test`.
SWIFT       ?= swift
BUILD_FLAGS ?=
DEB_PACKAGES := libpcre2-dev pkg-config libsqlite3-dev libsystemd-dev systemd-journal-remote nftables iptables ipset iproute2 procps python3 curl libcurl4

# `make run`: a generated auth log through the bundled sshd filter.
STATE      ?= state
RUN_LINES  ?= 20000
RUN_SEED   ?= 1
PORTCULLIS ?= .build/release/portcullis

.PHONY: deps build release run test check-sample bench install uninstall clean

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

# The daemon in the foreground on the bundled config, everything under $(STATE)/: a generated
# sshd log ($(RUN_LINES) lines ending now) watched by the sshd jail, bans printed as they happen.
# As root with nft present the bans go into nftables (table inet portcullis, ssh port only);
# otherwise a log-only action writes them to $(STATE)/bans.log. Ctrl-C stops it (bans are kept
# in $(STATE)/portcullis.sqlite3 and restored at the next run).
run: release
	@mkdir -p $(STATE)
	@rm -rf $(STATE)/etc && cp -R config $(STATE)/etc
	@{ echo "# Written by make run: everything under $(CURDIR)/$(STATE)"; \
	  echo "[Definition]"; \
	  echo "logtarget = STDOUT"; \
	  echo "socket = $(CURDIR)/$(STATE)/portcullis.sock"; \
	  echo "pidfile = $(CURDIR)/$(STATE)/portcullis.pid"; \
	  echo "dbfile = $(CURDIR)/$(STATE)/portcullis.sqlite3"; } > $(STATE)/etc/fail2ban.local
	@if [ "$$(id -u)" = 0 ] && command -v nft >/dev/null 2>&1; then \
	  action='portcullis-nftables[port=ssh, protocol=tcp]'; \
	  echo "make run: root and nft present: bans go into nftables (table inet portcullis, ssh port); see: nft list table inet portcullis"; \
	else \
	  action='portcullis-log[logfile=$(CURDIR)/$(STATE)/bans.log]'; \
	  echo "make run: not root or no nft: log-only action, bans are written to $(STATE)/bans.log"; \
	fi; \
	{ echo "[sshd]"; echo "logpath = $(CURDIR)/$(STATE)/auth.log"; echo "action = $$action"; } > $(STATE)/etc/jail.local
	$(PORTCULLIS) sample-log --lines $(RUN_LINES) --seed $(RUN_SEED) --start $$(( $$(date +%s) - 600 )) --output $(STATE)/auth.log
	@echo "make run: daemon starting; in another terminal: $(PORTCULLIS) client -c $(STATE)/etc status sshd"
	$(PORTCULLIS) server -f -x -c $(STATE)/etc

# The Swift test suite, then the sample-log generator checks (debug build from `swift test`).
# The end-to-end tests run the release binary, the one `make run` and `make install` ship: their
# timing assertions (100,000 bans restored in under 2 s) are about the product, not a debug build.
test: deps
	$(SWIFT) build $(BUILD_FLAGS)
	$(SWIFT) build -c release $(BUILD_FLAGS)
	PORTCULLIS_BINARY="$$($(SWIFT) build -c release $(BUILD_FLAGS) --show-bin-path)/portcullis" $(SWIFT) test --no-parallel $(BUILD_FLAGS)
	bench/check-sample-log.sh "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/portcullis" 20000

# The sample-log generator checks alone, on the release build.
check-sample: release
	bench/check-sample-log.sh $(PORTCULLIS) 20000

# portcullis regex vs fail2ban-regex on a 1M-line log (BENCH_LINES=… to change; bench/regex.sh),
# then the daemon against fail2ban-server in a private network namespace (root; bench/daemon.sh).
bench:
	bench/regex.sh
	bench/daemon.sh
	bench/firewall.sh

# Installs the binary, the fail2ban-client/-server/-regex links, the systemd unit, and the bundled
# config as /etc/fail2ban when no such tree exists yet (an existing tree is never touched).
PREFIX     ?= /usr/local
DESTDIR    ?=
CONFDIR    ?= /etc/fail2ban
UNITDIR    ?= /etc/systemd/system
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR)
	install -m 0755 $(PORTCULLIS) $(DESTDIR)$(PREFIX)/bin/portcullis
	for name in fail2ban-client fail2ban-server fail2ban-regex; do ln -sf portcullis $(DESTDIR)$(PREFIX)/bin/$$name; done
	sed 's|@BINDIR@|$(PREFIX)/bin|g' dist/portcullis.service > $(DESTDIR)$(UNITDIR)/portcullis.service
	@if [ -e $(DESTDIR)$(CONFDIR) ]; then echo "$(DESTDIR)$(CONFDIR) exists: left as it is"; \
	  for f in config/action.d/portcullis-*.conf; do t=$(DESTDIR)$(CONFDIR)/action.d/$$(basename $$f); \
	    if [ ! -e $$t ]; then install -D -m 0644 $$f $$t && echo "added $$t (Portcullis' own action, new file)"; fi; done; \
	else install -d $(DESTDIR)$(CONFDIR) && cp -R config/. $(DESTDIR)$(CONFDIR)/ && echo "installed the default config in $(DESTDIR)$(CONFDIR)"; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/portcullis $(DESTDIR)$(UNITDIR)/portcullis.service
	for name in fail2ban-client fail2ban-server fail2ban-regex; do \
	  [ "$$(readlink $(DESTDIR)$(PREFIX)/bin/$$name)" = portcullis ] && rm -f $(DESTDIR)$(PREFIX)/bin/$$name || true; done

clean:
	rm -rf .build bench-out $(STATE)
