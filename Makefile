# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a step of those.
.PHONY: demo test venv build lint bench fuzz

# Builds the programs and walks the drift story against a local ECS emulator (no AWS account).
demo: venv
	cargo build --quiet --workspace --bins
	target/debug/demo

# Everything CI runs: formatting, lints, and every test (the moto and deploy-tool tests included).
test: venv lint
	cargo test --workspace

# The project's own Python environment (.venv): moto, ecs-deploy and the other pinned test tools.
venv:
	scripts/bootstrap-venv

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

build:
	cargo build --release --workspace --bins

bench: venv build
	bench/run

# Every fuzz target for FUZZ_SECONDS each (default 60), one at a time; needs nightly and
# cargo-fuzz. Not part of `make test`.
fuzz:
	fuzz/run
