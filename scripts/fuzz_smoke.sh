#!/usr/bin/env bash
# Fuzzes Engine::execute for a bounded time (default 60 s).
#
# Usage: scripts/fuzz_smoke.sh [SECONDS]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz uses nightly-only
# flags; on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them.
# New corpus entries go to dynamo-local/fuzz/corpus/, crashes to
# dynamo-local/fuzz/artifacts/engine_execute/ (copy reproducers into
# dynamo-local/fuzz/regressions/ to keep them). Builds with the dev profile
# (--dev) to keep compile load low on shared machines.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
fuzz_dir=$root/dynamo-local/fuzz

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: cargo-fuzz is missing; install it with: cargo install cargo-fuzz" >&2
    exit 2
fi

cd "$fuzz_dir"
mkdir -p corpus/engine_execute
# Replay the saved regressions first: each must run without a crash.
if compgen -G "regressions/*" >/dev/null; then
    RUSTC_BOOTSTRAP=1 cargo fuzz run --dev engine_execute regressions/*
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run --dev engine_execute corpus/engine_execute seeds/engine_execute -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
