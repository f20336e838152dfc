#!/usr/bin/env bash
# Runs every benchmark of issue 6 with bounded counts and prints the tables
# that BENCHMARKS.md reports. Peers are installed into target/bench-peers
# (never committed); results land in target/bench-results.
#
#   scripts/bench_all.sh [--quick] [--only codec|client|boto|server|scale|build]...
#
# --quick divides the operation counts by 5 (a smoke run, not for reporting).
# The build comparison (--only build) is heavy and only runs when asked for.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PEERS="${BENCH_PEERS_DIR:-$ROOT/target/bench-peers}"
OUT="$ROOT/target/bench-results"
BIN="$ROOT/bench/target/release"
mkdir -p "$PEERS" "$OUT"

DIV=1
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) DIV=5 ;;
    --only) shift; ONLY+=("$1") ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
wants() {
  if [ ${#ONLY[@]} -eq 0 ]; then [ "$1" != build ]; return; fi
  local o; for o in "${ONLY[@]}"; do [ "$o" = "$1" ] && return 0; done; return 1
}

machine() {
  echo "## Machine"
  echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "- memory: $(free -h | awk '/^Mem:/ {print $2}'); kernel $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- rustc: $(rustc --version); date: $(date -u +%FT%TZ)"
}

install_peers() {
  if [ ! -x "$PEERS/boto/bin/python" ]; then
    python3 -m venv "$PEERS/boto"
    "$PEERS/boto/bin/pip" install -q boto==2.49.0
  fi
  if [ ! -x "$PEERS/moto/bin/moto_server" ]; then
    python3 -m venv "$PEERS/moto"
    "$PEERS/moto/bin/pip" install -q "moto[server]==2.3.2"
  fi
  if [ ! -x "$PEERS/dynalite/node_modules/.bin/dynalite" ]; then
    mkdir -p "$PEERS/dynalite"
    (cd "$PEERS/dynalite" && npm init -y >/dev/null && npm install --silent dynalite@4.0.0)
  fi
}

# Waits (bounded) until 127.0.0.1:$1 accepts connections.
wait_port() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listening on port $1" >&2
  return 1
}

PIDS=()
cleanup() { local p; for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

machine | tee "$OUT/machine.md"
echo "== building bench/ in release"
cargo build --release --manifest-path bench/Cargo.toml --bins 2>&1 | tail -1

if wants codec; then
  echo "== 1. item codec (criterion)"
  cargo bench --manifest-path bench/Cargo.toml --bench codec -- --noplot > "$OUT/codec.log" 2>&1
  python3 scripts/bench/criterion_table.py bench/target/criterion | tee "$OUT/codec.md"
fi

if wants client; then
  echo "== 2. client overhead (canned server in a child process)"
  "$BIN/client_overhead" --ops $((20000 / DIV)) --reps 5 --conc 1,16,64 | tee "$OUT/client.md"
fi

if wants boto; then
  install_peers
  echo "== 2b. boto 2.49 Layer2 vs ours, single-threaded, same canned server"
  "$BIN/client_overhead" serve --port 18601 & PIDS+=($!)
  wait_port 18601
  "$PEERS/boto/bin/python" scripts/bench/boto_overhead.py 18601 $((2000 / DIV)) 5 > "$OUT/boto.jsonl"
  "$BIN/client_overhead" --url http://127.0.0.1:18601 --clients ours --conc 1 --ops $((20000 / DIV)) --reps 5 > "$OUT/ours_c1.md"
  python3 scripts/bench/boto_table.py "$OUT/boto.jsonl" "$OUT/ours_c1.md" | tee "$OUT/boto.md"
fi

if wants server; then
  install_peers
  echo "== 3. servers under the same load generator"
  LOAD=("$BIN/server_load" run --ops $((20000 / DIV)) --max-secs 20 --reps 3 --conc 1,16,64 --keys 10000)
  : > "$OUT/server.jsonl"
  "$BIN/local_server" --port 18611 & PIDS+=($!); wait_port 18611
  "${LOAD[@]}" --url http://127.0.0.1:18611 --api v1 --pid "${PIDS[-1]}" --label dynamo-local >> "$OUT/server.jsonl"
  kill "${PIDS[-1]}"
  "$BIN/client_overhead" serve --port 18612 & PIDS+=($!); wait_port 18612
  "${LOAD[@]}" --url http://127.0.0.1:18612 --api v1 --pid "${PIDS[-1]}" --label canned-hyper --no-setup >> "$OUT/server.jsonl"
  kill "${PIDS[-1]}"
  "$PEERS/dynalite/node_modules/.bin/dynalite" --port 18613 --createTableMs 0 > "$OUT/dynalite.log" 2>&1 & PIDS+=($!); wait_port 18613
  "${LOAD[@]}" --url http://127.0.0.1:18613 --api v2 --pid "${PIDS[-1]}" --label dynalite >> "$OUT/server.jsonl"
  kill "${PIDS[-1]}"
  "$PEERS/moto/bin/moto_server" dynamodb -H 127.0.0.1 -p 18614 > "$OUT/moto.log" 2>&1 & PIDS+=($!); wait_port 18614
  "${LOAD[@]}" --url http://127.0.0.1:18614 --api v1 --pid "${PIDS[-1]}" --label moto --ops $((4000 / DIV)) --reps 2 >> "$OUT/server.jsonl"
  kill "${PIDS[-1]}"
  "$BIN/server_load" report "$OUT/server.jsonl" | tee "$OUT/server.md"
fi

if wants scale; then
  echo "== 5. scale: batch-write then stream back, in-process dynamo-local"
  {
    echo "| items | phase | seconds | items/s | memory |"
    echo "|---|---|---|---|---|"
    for n in 10000 100000; do "$BIN/scale" --items "$n" --phases query,scan,query; done
    echo "| | with MALLOC_ARENA_MAX=1 (one glibc arena) | | | |"
    for n in 10000 100000; do MALLOC_ARENA_MAX=1 "$BIN/scale" --items "$n" --phases query,scan,query; done
  } | tee "$OUT/scale.md"
fi

if wants build; then
  echo "== 4. clean release build times"
  bash scripts/bench/build_compare.sh | tee "$OUT/build.md"
fi
