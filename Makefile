# The two commands of the README, and the benchmarks. Each installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

EMULATOR_LISTEN ?= 127.0.0.1:9000
# The emulator's demo account; shown by `make run`, used by the README's walkthrough.
DEMO_SECRET_ID  ?= AKIDLiveHookDemo0000000000000000
DEMO_SECRET_KEY ?= livehookdemokey

.PHONY: help deps run test lint test-rust test-official test-keyring bench

help:
	@echo "make run    build and start the Live API emulator (offline demo) on $(EMULATOR_LISTEN)"
	@echo "make test   lints and every test suite"
	@echo "make bench  benchmarks (figures printed, compared with a baseline in the same run)"

deps:
	@.ci/install-deps

run: deps
	cargo build --locked -p livehook-cli
	@echo
	@echo "Offline demo account:  TENCENTCLOUD_SECRET_ID=$(DEMO_SECRET_ID)  TENCENTCLOUD_SECRET_KEY=$(DEMO_SECRET_KEY)"
	@echo "In another terminal:   export LIVEHOOK_ENDPOINT=http://$(EMULATOR_LISTEN) TENCENTCLOUD_SECRET_ID=$(DEMO_SECRET_ID) TENCENTCLOUD_SECRET_KEY=$(DEMO_SECRET_KEY)"
	@echo "                       ./target/debug/livehook templates list"
	@echo
	./target/debug/livehook emulator serve --listen $(EMULATOR_LISTEN) \
		--secret-id $(DEMO_SECRET_ID) --secret-key $(DEMO_SECRET_KEY) --state target/emulator-state

lint: deps
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

test-rust: deps
	cargo nextest run --locked --workspace --no-fail-fast

# Tencent's own clients (tccli and the Python SDK) against the emulator.
test-official: deps
	cargo build --locked -p livehook-cli
	.venv/bin/python -m pytest -q -p no:cacheprovider tests/official-clients

# The real OS keyring, in a private D-Bus session with a throw-away gnome-keyring.
test-keyring: deps
	.ci/keyring-test

test: lint test-official test-keyring test-rust

bench: deps
	cargo bench --locked -p tencent-live --bench protocol
