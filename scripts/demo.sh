#!/usr/bin/env bash
# The libetna demo: builds the library and the simulator, starts the simulator, runs the C
# quickstart (examples/c/quickstart.c) through a two-factor login as the simulator's user bob,
# then stops the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building libetna and etna-sim (cargo build)"
cargo build --quiet
lib="${CARGO_TARGET_DIR:-$PWD/target}/debug"
mkdir -p target/demo
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/quickstart.c \
   -L"$lib" -letna -Wl,-rpath,"$lib" -o target/demo/quickstart

echo "== starting the simulator"
log=target/demo/etna-sim.log
"$lib/etna-sim" --port 0 >"$log" &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true' EXIT

# The first line is "listening on http://127.0.0.1:PORT/api/".
for _ in $(seq 100); do
  grep -q '^listening on ' "$log" && break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$log" | head -n 1)
[ -n "$url" ] || { echo "the simulator did not start" >&2; cat "$log" >&2; exit 1; }
echo "   $url"

# The simulator "e-mails" bob his code by printing it; play the user who reads it and types it.
type_code() {
  for _ in $(seq 100); do
    code=$(sed -n 's/^outbox: verification code for bob: //p' "$log" | tail -n 1)
    if [ -n "$code" ]; then
      echo "$code    <- typed in: the code the simulator sent to bob" >&2
      echo "$code"
      return
    fi
    sleep 0.1
  done
}

echo "== running the C quickstart as bob (two-factor)"
type_code | ETNA_BASE_URL="$url" ETNA_APP_KEY=sim-app-key ETNA_USERNAME=bob ETNA_PASSWORD=bob-pass \
  target/demo/quickstart
echo "== done; the simulator is stopped"
