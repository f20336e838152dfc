#!/usr/bin/env bash
# Clean `cargo build --release` of dynamo-core + dynamo-derive vs of
# aws-sdk-dynamodb alone (default features), same machine, same run, each in a
# scratch package with its own CARGO_TARGET_DIR, dependency versions pinned by
# bench/Cargo.lock. Prints wall and CPU (user+sys) seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${BUILD_SCRATCH:-$ROOT/target/bench-build}"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"

make_pkg() { # name, dependency lines
  mkdir -p "$SCRATCH/$1/src"
  printf '[package]\nname = "build-%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[workspace]\n\n[dependencies]\n%s\n' "$1" "$2" > "$SCRATCH/$1/Cargo.toml"
  echo "" > "$SCRATCH/$1/src/lib.rs"
  cp "$ROOT/bench/Cargo.lock" "$SCRATCH/$1/Cargo.lock"
  (cd "$SCRATCH/$1" && cargo fetch -q)
}

make_pkg ours "dynamo-core = { path = \"$ROOT/dynamo-core\" }
dynamo-derive = { path = \"$ROOT/dynamo-derive\" }"
make_pkg aws 'aws-sdk-dynamodb = "1"'

echo "| crate(s) | clean release build wall s | CPU s (user+sys) | crates compiled |"
echo "|---|---|---|---|"
for pkg in ours aws; do
  cd "$SCRATCH/$pkg"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$SCRATCH/$pkg.time" \
    env CARGO_TARGET_DIR="$SCRATCH/$pkg/target" cargo build --release -q
  end=$(date +%s.%N)
  read -r user sys < "$SCRATCH/$pkg.time"
  crates=$(ls "$SCRATCH/$pkg/target/release/deps/"*.rlib 2>/dev/null | wc -l)
  label=$([ "$pkg" = ours ] && echo "dynamo-core + dynamo-derive" || echo "aws-sdk-dynamodb (default features)")
  printf '| %s | %.1f | %.1f | %s |\n' "$label" "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$crates"
done
