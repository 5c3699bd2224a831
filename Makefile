# Portcullis — the two set-up commands are `make run` and `make test`.
SWIFT      ?= swift
BUILD_FLAGS ?=
DEB_PACKAGES := libpcre2-dev pkg-config

.PHONY: deps build release run test bench clean

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

run: release
	@echo "(the daemon comes with the next milestone; for now: the filter engine on a generated auth log)"

test: deps
	$(SWIFT) test $(BUILD_FLAGS)

clean:
	rm -rf .build
