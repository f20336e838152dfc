#!/usr/bin/env bash
# Seeded differential test of dynamo-local against dynalite 4.0.0 (npm,
# installed into target/dynalite on first run): at least 5,000 random
# operations, valid and invalid, on four key schemas, stopped by a time
# bound. scripts/dynalite_diff.py lists the expected differences.
#
# Usage: scripts/dynalite_diff.sh [--seed N] [--ops N] [--max-secs S]
# Needs the npm registry on first run only; everything else stays on 127.0.0.1.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
dynalite_dir=$target_dir/dynalite
python=${PYTHON:-python3}

if [ ! -x "$dynalite_dir/node_modules/.bin/dynalite" ]; then
    echo "dynalite diff: installing dynalite@4.0.0 into $dynalite_dir"
    mkdir -p "$dynalite_dir"
    (cd "$dynalite_dir" && npm install --no-audit --no-fund --silent dynalite@4.0.0)
fi

cargo build --quiet --manifest-path "$root/Cargo.toml" -p dynamo-local --bin dynamo-local
bin=$target_dir/debug/dynamo-local

# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

wait_port() {
    for _ in $(seq 1 200); do
        if "$python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "dynalite diff: nothing listens on $1; logs:" >&2
    tail -n 20 "$scratch"/*.log >&2 || true
    return 1
}

local_port=$(free_port)
"$bin" --port "$local_port" --no-control-plane-limits >"$scratch/local.log" 2>&1 &
pids+=($!)
dynalite_port=$(free_port)
"$dynalite_dir/node_modules/.bin/dynalite" --port "$dynalite_port" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 >"$scratch/dynalite.log" 2>&1 &
pids+=($!)
wait_port "$local_port"
wait_port "$dynalite_port"

"$python" "$root/scripts/dynalite_diff.py" --local "http://127.0.0.1:$local_port" \
    --dynalite "http://127.0.0.1:$dynalite_port" --ops 5000 --max-secs 240 "$@"
