#!/bin/sh
# Cold `cargo build --release` time and binary size: a project generated from the Rust template
# against a plain rmcp server with the same transports and tools (plain-rmcp/). Each build has its
# own fresh target folder; the two alternate, ROUNDS times (default 1). Dependencies are fetched
# before timing. Usage: benches/peers/build-size.sh   (from anywhere; needs cargo and network or a
# warm ~/.cargo registry)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${ROUNDS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build -q --manifest-path "$root/Cargo.toml" -p mcp-create
"$root/target/debug/mcp-create" new -q --no-register --no-workspace --path "$work" generated
cp -r "$here/plain-rmcp" "$work/plain"
# The copy takes the hand-written server along (in place, main.rs includes it by a relative path).
cp "$root/benches/overhead/src/hand.rs" "$work/plain/src/hand.rs"
sed -i '/^#\[path = /d' "$work/plain/src/main.rs"
for project in generated plain; do
    cargo fetch -q --manifest-path "$work/$project/Cargo.toml"
done

build() { # project -> "seconds bytes"
    rm -rf "$work/target-$1"
    start=$(date +%s.%N)
    CARGO_TARGET_DIR="$work/target-$1" cargo build -q --release --manifest-path "$work/$1/Cargo.toml"
    end=$(date +%s.%N)
    binary=$(basename "$1")
    [ "$1" = plain ] && binary=plain-rmcp
    echo "$(echo "$end - $start" | bc) $(stat -c %s "$work/target-$1/release/$binary")"
}

echo "| round | generated (s) | plain rmcp (s) | time ratio | generated (bytes) | plain rmcp (bytes) | size ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
round=1
while [ "$round" -le "$rounds" ]; do
    if [ $((round % 2)) -eq 1 ]; then
        set -- $(build generated) $(build plain)
    else
        set -- $(build plain) $(build generated)
        set -- "$3" "$4" "$1" "$2"
    fi
    echo "$round $1 $3 $2 $4" | awk '{printf "| %d | %.1f | %.1f | %.2f | %d | %d | %.2f |\n", $1, $2, $3, $2/$3, $4, $5, $4/$5}'
    round=$((round + 1))
done
