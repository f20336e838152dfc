#!/usr/bin/env bash
# Runs both examples unchanged against two independent v1 servers reached
# through AWS_ENDPOINT_URL_DYNAMODB: a standalone dynamo-local binary, and
# moto 2.3.2 (`moto_server dynamodb`).
#
# moto 2.3.2 lacks parts of the API, so these steps are skipped there (and
# only there) through DYNAMO_EXAMPLE_SKIP:
#   atomic-update  UpdateItem with ADD fails with HTTP 500
#   merge          UpdateItem DELETE of an attribute the item lacks fails
#                  with HTTP 500 (a KeyError in moto's update_item)
#   batch-write    BatchWriteItem answers a canned response and writes nothing
#                  (the example puts the items one at a time instead)
#   get-missing    GetItem of a missing item answers ResourceNotFoundException
#                  (HTTP 404) instead of an empty result
# moto also answers with Content-Type text/html, Connection: close and no
# x-amz-crc32, and ignores Limit on Scan; the client copes with all of that.
#
# Usage: scripts/examples_interop.sh
#   MOTO_VENV=dir   where to create moto's venv (default target/moto-venv)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=${MOTO_VENV:-$target_dir/moto-venv}
python=${PYTHON:-python3}
examples=(messages repository)

cargo build --quiet --manifest-path "$root/Cargo.toml" --examples -p dynamo
cargo build --quiet --manifest-path "$root/Cargo.toml" -p dynamo-local --bin dynamo-local

# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

wait_for() {
    local url=$1 log=$2
    for _ in $(seq 1 300); do
        if curl -s -o /dev/null -X POST "$url" \
            -H 'Content-Type: application/x-amz-json-1.0' \
            -H 'X-Amz-Target: DynamoDB_20111205.ListTables' -d '{}'; then
            return 0
        fi
        sleep 0.1
    done
    echo "examples interop: server at $url did not start:" >&2
    cat "$log" >&2
    return 1
}

passed=0
failed=0
run_examples() {
    local label=$1 endpoint=$2 skip=$3
    for example in "${examples[@]}"; do
        if AWS_ENDPOINT_URL_DYNAMODB=$endpoint AWS_REGION=us-east-1 \
            AWS_ACCESS_KEY_ID=interop AWS_SECRET_ACCESS_KEY=interop \
            DYNAMO_EXAMPLE_SKIP=$skip \
            timeout 300 "$target_dir/debug/examples/$example" >"$scratch/$label-$example.log" 2>&1; then
            echo "ok   $example against $label"
            passed=$((passed + 1))
        else
            echo "FAIL $example against $label:" >&2
            tail -20 "$scratch/$label-$example.log" >&2
            failed=$((failed + 1))
        fi
    done
}

# 1. A standalone dynamo-local binary: every step.
port=$(free_port)
"$target_dir/debug/dynamo-local" --port "$port" >"$scratch/local.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port" "$scratch/local.log"
run_examples dynamo-local "http://127.0.0.1:$port" ""

# 2. moto 2.3.2.
ensure_venv "$venv" moto 2.3.2 "moto[server]==2.3.2"
port=$(free_port)
"$venv/bin/moto_server" dynamodb -H 127.0.0.1 -p "$port" >"$scratch/moto.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port" "$scratch/moto.log"
run_examples moto "http://127.0.0.1:$port" "atomic-update,merge,batch-write,get-missing"

echo "examples interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
