#!/usr/bin/env bash
# Runs boto 2.49 (the reference client of API 2011-12-05) against dynamo-local:
# every step of the seed tutorial plus query/scan/batch/conditional/update/type
# checks, signature verification against a second server (boto told to sign
# with the scope us-east-1/dynamodb, as it does for the service's own host
# names; the scope it derives from `localhost` is refused) and table state
# transitions against a third (--transition-delay-ms).
#
# Usage: scripts/boto_interop.sh
#   BOTO_VENV=dir   where to create the Python venv (default target/boto-venv)
#   PYTHON=python3  interpreter used to create the venv
# Needs PyPI (pip) on first run only; everything else stays on 127.0.0.1.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=${BOTO_VENV:-$target_dir/boto-venv}
python=${PYTHON:-python3}

cargo build --quiet --manifest-path "$root/Cargo.toml" -p dynamo-local --bin dynamo-local
bin=$target_dir/debug/dynamo-local

# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
ensure_venv "$venv" boto 2.49.0 boto==2.49.0

# Starts dynamo-local on a free port (--port 0) and sets $started_port.
# (Not run in a subshell, so the pid lands in $pids for the cleanup trap.)
start_server() {
    local log=$1
    shift
    "$bin" --port 0 "$@" >"$log" 2>"$log.err" &
    pids+=($!)
    local line
    for _ in $(seq 1 200); do
        line=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" || true)
        if [ -n "$line" ]; then
            started_port=${line##*:}
            return 0
        fi
        sleep 0.05
    done
    echo "boto interop: dynamo-local did not start; stderr:" >&2
    cat "$log.err" >&2
    return 1
}

start_server "$scratch/open.log"
port=$started_port
start_server "$scratch/verify.log" --verify-signatures AKID:SECRET --region us-east-1
verify_port=$started_port
start_server "$scratch/delay.log" --transition-delay-ms 300
delay_port=$started_port

# Isolate boto from any user/host configuration and credentials.
: >"$scratch/boto.cfg"
status=0
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SECURITY_TOKEN -u AWS_PROFILE \
    BOTO_CONFIG="$scratch/boto.cfg" HOME="$scratch" \
    "$venv/bin/python" "$root/scripts/boto_interop.py" --port "$port" --verify-port "$verify_port" \
    --delay-port "$delay_port" || status=$?
if [ "$status" -ne 0 ]; then
    echo "boto interop: FAILED (exit $status); server logs:" >&2
    tail -n 20 "$scratch"/*.err >&2 || true
fi
exit "$status"
