#!/usr/bin/env bash
# libetna performance benchmark (issues 5 and 14): one command on a fresh clone.
#
#   bench/run.sh                 the full run (about 10 minutes on 2 cores); writes bench/results.md
#   BENCH_QUICK=1 bench/run.sh   small counts, for iterating (writes bench/results-quick.md)
#
# Installs what is missing (nginx, libcurl4-openssl-dev, libcjson-dev, Python requests and
# websocket-client)
# and says so, builds libetna (cargo build --release), the simulator (etna-sim, release), the
# streaming floor (bench/floor, cargo --release) and the C contenders (cc -O2), starts nginx on a
# free loopback port in a temporary directory as the current user, runs every figure in rounds in
# which the contenders alternate (libetna, libcurl, python, raw; the order rotates each round;
# the streaming figures start an etna-sim of their own for each figure of each round), stops
# nginx, and prints one markdown table (bench/report.py). Everything stays on 127.0.0.1.
#
# The TLS figures: the same nginx also serves the routes over HTTPS, on a port that resumes TLS
# sessions and one that never does (bench/nginx.conf.in), with a test CA and server certificate
# that this script makes with openssl in its temporary directory for this run only (they go with
# it). libetna trusts the CA with etna_session_set_ca_file, libcurl (OpenSSL) with
# CURLOPT_CAINFO, Python requests with verify=; the raw floor speaks plain HTTP only.
#
# Knobs: BENCH_ROUNDS, BENCH_RTT_N, BENCH_TPUT_N, BENCH_PAGE_N, BENCH_LOGIN_N, BENCH_SESSIONS_N,
# BENCH_MEM_ROUNDS, BENCH_GROWTH_N, BENCH_FFI_N (counts); BENCH_STREAM_RATE (the firehose of
# figure 7, quotes/s), BENCH_STREAM_MS, BENCH_LATENCY_RATE, BENCH_LATENCY_MS, BENCH_IDLE_MS,
# BENCH_IDLE_ROUNDS, BENCH_STREAM_WARMUP_MS (streaming figures); BENCH_WORKERS (nginx workers);
# BENCH_PIN (1: single-threaded figures share CPU 0 with nginx, see below); BENCH_PYTHON;
# BENCH_OUT (where the table goes); BENCH_FIGURES (which groups run: plain, tls, stream, comma-
# separated; all three by default); CARGO_TARGET_DIR (where cargo builds libetna); BENCH_ETNA_LIB=DIR (measure the libetna.so in DIR, e.g. a
# prototype built in a scratch copy, instead of building this one); BENCH_SERVE=SECONDS (build,
# start nginx, print its base URL and serve that long without measuring, for perf, strace or
# callgrind by hand).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
BUILD=$BENCH/build
QUICK=${BENCH_QUICK:-0}

if [ "$QUICK" = 1 ]; then
  ROUNDS=${BENCH_ROUNDS:-2}; RTT_N=${BENCH_RTT_N:-2000}; TPUT_N=${BENCH_TPUT_N:-2000}
  PAGE_N=${BENCH_PAGE_N:-5}; LOGIN_N=${BENCH_LOGIN_N:-30}; SESSIONS_N=${BENCH_SESSIONS_N:-1000}
  MEM_ROUNDS=${BENCH_MEM_ROUNDS:-1}; GROWTH_N=${BENCH_GROWTH_N:-10000}
  FFI_N=${BENCH_FFI_N:-10000000}; OUT=${BENCH_OUT:-$BENCH/results-quick.md}
  STREAM_MS=${BENCH_STREAM_MS:-1500}; LATENCY_MS=${BENCH_LATENCY_MS:-2000}
  IDLE_MS=${BENCH_IDLE_MS:-3000}; IDLE_ROUNDS=${BENCH_IDLE_ROUNDS:-1}
  export BENCH_STREAM_WARMUP_MS=${BENCH_STREAM_WARMUP_MS:-500}
else
  ROUNDS=${BENCH_ROUNDS:-7}; RTT_N=${BENCH_RTT_N:-20000}; TPUT_N=${BENCH_TPUT_N:-20000}
  PAGE_N=${BENCH_PAGE_N:-30}; LOGIN_N=${BENCH_LOGIN_N:-300}; SESSIONS_N=${BENCH_SESSIONS_N:-1000}
  MEM_ROUNDS=${BENCH_MEM_ROUNDS:-2}; GROWTH_N=${BENCH_GROWTH_N:-100000}
  FFI_N=${BENCH_FFI_N:-100000000}; OUT=${BENCH_OUT:-$BENCH/results.md}
  STREAM_MS=${BENCH_STREAM_MS:-4000}; LATENCY_MS=${BENCH_LATENCY_MS:-5000}
  IDLE_MS=${BENCH_IDLE_MS:-10000}; IDLE_ROUNDS=${BENCH_IDLE_ROUNDS:-3}
  export BENCH_STREAM_WARMUP_MS=${BENCH_STREAM_WARMUP_MS:-1000}
fi
# Figure 7's firehose: more than any contender here takes; the simulator sustains about 2,000,000
# quotes/s to the floor on the 2-core machine (bench/README.md), so that is what it is asked for.
STREAM_RATE=${BENCH_STREAM_RATE:-2000000}
# Figure 8: a steady 10,000 quotes/s, well within every reader's reach.
LATENCY_RATE=${BENCH_LATENCY_RATE:-10000}
WORKERS=${BENCH_WORKERS:-1}
# 1: nginx's worker and the single-threaded contenders share CPU 0, so that a round trip costs CPU
# work, not the wake-up of an idle vCPU (on this VM that wake-up alone adds about 60 us to every
# loopback round trip and hides the clients' differences). Throughput (2 threads) is never pinned.
PIN=${BENCH_PIN:-1}
FIGURES=,${BENCH_FIGURES:-plain,tls,stream},
wants() { [[ $FIGURES == *",$1,"* ]]; }

say() { printf '[bench] %s\n' "$*" >&2; }

# ---- 1. What the benchmark needs, from the package registries --------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  say "need root to install packages: $*"; exit 1; fi; }
apt_updated=0
apt_install() {
  say "installing (apt): $*"
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v cc >/dev/null || missing+=(gcc)
command -v strip >/dev/null || missing+=(binutils)
command -v openssl >/dev/null || missing+=(openssl)
[ -f /usr/include/curl/curl.h ] || ls /usr/include/*/curl/curl.h >/dev/null 2>&1 ||
  missing+=(libcurl4-openssl-dev)
# cJSON: the C contender of the typed page parses the text with it.
[ -f /usr/include/cjson/cJSON.h ] || missing+=(libcjson-dev)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PY=${BENCH_PYTHON:-python3}
if ! "$PY" -c 'import requests' 2>/dev/null; then
  if [ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import requests' 2>/dev/null; then
    apt_install python3-requests
  fi
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import requests' 2>/dev/null; then
    PY=/usr/bin/python3
  else
    say "installing (pip): requests"
    "$PY" -m pip install --quiet requests >&2
  fi
fi
# websocket-client for the Python contender of figure 7: Debian's python3-websocket when the
# Python at hand is Debian's own, else pip's websocket-client into that Python.
if ! "$PY" -c 'import websocket' 2>/dev/null; then
  if [ "$(readlink -f "$(command -v "$PY")")" = "$(readlink -f /usr/bin/python3)" ]; then
    apt_install python3-websocket
  fi
  if ! "$PY" -c 'import websocket' 2>/dev/null; then
    say "installing (pip): websocket-client"
    "$PY" -m pip install --quiet websocket-client >&2
  fi
fi
PY_VERSIONS=$("$PY" -c 'import sys,requests,websocket; print("Python", sys.version.split()[0], "requests", requests.__version__, "websocket-client", websocket.__version__)')
say "using: $("$NGINX" -v 2>&1), $(curl-config --version 2>/dev/null || echo libcurl), $PY_VERSIONS"

# ---- 2. Build ---------------------------------------------------------------------------------
if [ -n "${BENCH_ETNA_LIB:-}" ]; then
  # Another build of libetna (e.g. a prototype in a scratch copy), measured in place of this one.
  LIB=$(cd "$BENCH_ETNA_LIB" && pwd)
  say "measuring the libetna in $LIB (BENCH_ETNA_LIB), not this repository's"
else
  say "building libetna: cargo build --release${CARGO_TARGET_DIR:+ (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)}"
  (cd "$REPO" && cargo build --release --quiet --lib) >&2
  # A private CARGO_TARGET_DIR (e.g. beside other builds on a shared machine) is honoured.
  TARGET=${CARGO_TARGET_DIR:-target}
  case $TARGET in /*) ;; *) TARGET=$REPO/$TARGET ;; esac
  LIB=$TARGET/release
fi
# The simulator (the streaming figures' broker) and the streaming floor, always from this
# repository; the floor is a crate of its own (an empty [workspace]), built into a directory of
# its own under the target directory.
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$REPO/$TARGET ;; esac
SIM=$TARGET/release/etna-sim
FLOOR=$TARGET/bench-floor/release/stream-floor
if wants stream; then
  say "building etna-sim and the streaming floor: cargo build --release"
  (cd "$REPO" && cargo build --release --quiet -p etna-sim) >&2
  CARGO_TARGET_DIR=$TARGET/bench-floor cargo build --release --quiet \
    --manifest-path "$BENCH/floor/Cargo.toml" >&2
fi
mkdir -p "$BUILD"
CFLAGS=(-O2 -Wall -Wextra -std=c11)
say "building the C contenders: cc -O2"
cc "${CFLAGS[@]}" -I"$REPO/include" -o "$BUILD/etna_bench" "$BENCH/c/etna_bench.c" \
  -L"$LIB" -Wl,-rpath,"$LIB" -letna -lpthread
cc "${CFLAGS[@]}" -o "$BUILD/curl_bench" "$BENCH/c/curl_bench.c" -lcurl -lcjson -lpthread -lm
cc "${CFLAGS[@]}" -o "$BUILD/raw_bench" "$BENCH/c/raw_bench.c" -lpthread
cp "$LIB/libetna.so" "$BUILD/libetna.stripped.so"
strip "$BUILD/libetna.stripped.so"
SO_BYTES=$(stat -c %s "$BUILD/libetna.stripped.so")
SO_RAW_BYTES=$(stat -c %s "$LIB/libetna.so")

# ---- 3. nginx as the broker, on a free loopback port ------------------------------------------
ulimit -n "$(ulimit -Hn | sed 's/unlimited/65536/')" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((SESSIONS_N + 200)) ]; then
  say "open files limited to $(ulimit -n): BENCH_SESSIONS_N=$SESSIONS_N needs more"; exit 1
fi
DIR=$(mktemp -d /tmp/etna-bench.XXXXXX)
chmod 755 "$DIR"
NGINX_STARTED=0
SLEEPER=
SIM_PID=
cleanup() {
  if [ -n "$SLEEPER" ]; then kill "$SLEEPER" 2>/dev/null || true; fi
  if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; fi
  if [ "$NGINX_STARTED" = 1 ] && [ -f "$DIR/nginx.pid" ]; then
    kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
    sleep 0.3
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Three free ports: plain HTTP, HTTPS that resumes TLS sessions, HTTPS that never does.
read -r PORT TLSPORT TLSFULLPORT < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')
BASE="http://127.0.0.1:$PORT/api/"
TLS_BASE="https://127.0.0.1:$TLSPORT/api/"
TLS_FULL_BASE="https://127.0.0.1:$TLSFULLPORT/api/"
# The TLS figures' CA and server certificate (RSA 2048, for 127.0.0.1 and localhost), made for
# this run in its temporary directory and deleted with it: no key is committed or reused.
mkdir -p "$DIR/tls"
(
  cd "$DIR/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -sha256 \
    -subj "/CN=libetna bench CA (one run)" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" \
    2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
    -days 2 -sha256 -extfile server.ext 2>/dev/null
  rm -f ca.key ca.srl server.csr server.ext
) || { say "openssl could not make the test CA"; exit 1; }
export BENCH_CA=$DIR/tls/ca.pem
# Tokens the size of the broker's (300-700 characters of base64), fixed so runs compare.
read -r INTERIM FINAL < <("$PY" -c '
import base64, random
r = random.Random(5)
print(*(base64.b64encode(bytes(r.getrandbits(8) for _ in range(384))).decode() for _ in range(2)))')
"$PY" "$BENCH/gen_orders.py" "$DIR/orders.json" >&2
chmod 644 "$DIR/orders.json"
mkdir -p "$DIR"/{body,proxy,fastcgi,uwsgi,scgi}
AFFINITY="# no CPU affinity (BENCH_PIN=0)"
[ "$PIN" = 1 ] && [ "$WORKERS" = 1 ] && AFFINITY="worker_cpu_affinity 1;  # CPU 0 (BENCH_PIN=1)"
sed -e "s|@DIR@|$DIR|g" -e "s|@PORT@|$PORT|g" -e "s|@WORKERS@|$WORKERS|g" -e "s|@AFFINITY@|$AFFINITY|" \
    -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" \
    -e "s|@TLSPORT@|$TLSPORT|g" -e "s|@TLSFULLPORT@|$TLSFULLPORT|g" \
    -e "s|@INTERIM@|$INTERIM|g" -e "s|@FINAL@|$FINAL|g" "$BENCH/nginx.conf.in" >"$DIR/nginx.conf"
sed -e "s|@DIR@|$DIR|g" -e "s|@INTERIM@|$INTERIM|g" -e "s|@FINAL@|$FINAL|g" \
  "$BENCH/nginx-routes.conf.in" >"$DIR/routes.conf"
say "starting nginx on 127.0.0.1:$PORT, HTTPS on :$TLSPORT and :$TLSFULLPORT (config and logs in $DIR)"
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log"
NGINX_STARTED=1
for _ in $(seq 50); do
  "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
  sleep 0.1
done

# Each contender proves it speaks to the canned broker before anything is timed, over TLS too.
for who in etna curl raw; do "$BUILD/${who}_bench" rtt 10 "$BASE" >/dev/null; done
"$PY" "$BENCH/py/requests_bench.py" rtt 10 "$BASE" >/dev/null
for base in "$TLS_BASE" "$TLS_FULL_BASE"; do
  for who in etna curl; do "$BUILD/${who}_bench" rtt 10 "$base" >/dev/null; done
  "$PY" "$BENCH/py/requests_bench.py" rtt 10 "$base" >/dev/null
done
# The two HTTPS ports do what they are for: one resumes a TLS session, the other never does.
# (s_client's input stays open a moment, so that it takes the TLS 1.3 tickets sent after the
# handshake before it leaves; tried 3 times, as a loaded machine may be slower than that.)
resumes() { # PORT: "Reused" when a second connection with the first one's session resumes it
  local try
  for try in 1 2 3; do
    rm -f "$DIR/tls/sess"
    sleep 0.$((try * 2)) | openssl s_client -connect "127.0.0.1:$1" -CAfile "$BENCH_CA" \
      -sess_out "$DIR/tls/sess" >/dev/null 2>&1 || true
    [ -s "$DIR/tls/sess" ] || continue
    if openssl s_client -connect "127.0.0.1:$1" -CAfile "$BENCH_CA" -sess_in "$DIR/tls/sess" \
      </dev/null 2>/dev/null | grep -q '^Reused'; then
      echo Reused
      break
    fi
  done
  rm -f "$DIR/tls/sess"
}
if [ -z "$(resumes "$TLSPORT")" ] || [ -n "$(resumes "$TLSFULLPORT")" ]; then
  say "nginx's HTTPS ports do not resume (:$TLSPORT) and refuse to resume (:$TLSFULLPORT) as they should"
  exit 1
fi
say "all contenders log in and GET through nginx, over HTTP and HTTPS"

if [ -n "${BENCH_SERVE:-}" ]; then
  # Only serve, for profiling by hand, e.g. in another shell:
  #   strace -f -c bench/build/etna_bench rtt 2000 $BASE
  #   perf record -g bench/build/etna_bench page 100 $BASE
  #   valgrind --tool=callgrind bench/build/etna_bench rtt 1000 $BASE
  #   BENCH_CA=... perf record -g bench/build/etna_bench page 100 $TLS_BASE
  say "serving the canned broker at $BASE for $BENCH_SERVE s (Ctrl-C stops it)"
  echo "BASE=$BASE"
  echo "TLS_BASE=$TLS_BASE"
  echo "TLS_FULL_BASE=$TLS_FULL_BASE"
  echo "BENCH_CA=$BENCH_CA"
  sleep "$BENCH_SERVE" & SLEEPER=$!
  wait "$SLEEPER" || true
  exit 0
fi

# ---- 4. Rounds: every figure, the contenders alternating --------------------------------------
RAW="$DIR/raw-results.txt"
: >"$RAW"
contenders=(libetna libcurl python raw)
run_one() { # FIGURE WHO COUNT ROUND [BASE_URL, default the plain one]
  local cmd
  case $2 in
    libetna) cmd=("$BUILD/etna_bench") ;;
    libcurl) cmd=("$BUILD/curl_bench") ;;
    raw) cmd=("$BUILD/raw_bench") ;;
    python) cmd=("$PY" "$BENCH/py/requests_bench.py") ;;
  esac
  if [ "$PIN" = 1 ] && [ "$1" != tput ]; then cmd=(taskset -c 0 "${cmd[@]}"); fi
  "${cmd[@]}" "$1" "$3" "${5:-$BASE}" | sed -n "s/^RESULT /RESULT round=$4 /p" >>"$RAW"
}

# The streaming figures' broker: an etna-sim of its own for each figure of each round, on a port
# the system picks (the first line it prints says which). sim_start PIN QUOTE_RATE sets SIM_BASE;
# with BENCH_PIN=1, PIN 1 puts the simulator on CPU 0 and PIN 2 on CPU 1.
sim_start() {
  local pin=()
  if [ "$PIN" = 1 ] && [ "$1" = 1 ]; then pin=(taskset -c 0); fi
  if [ "$PIN" = 1 ] && [ "$1" = 2 ]; then pin=(taskset -c 1); fi
  : >"$DIR/sim.out"
  "${pin[@]}" "$SIM" --port 0 --quote-rate "$2" >"$DIR/sim.out" 2>"$DIR/sim.err" &
  SIM_PID=$!
  SIM_BASE=
  for _ in $(seq 100); do
    SIM_BASE=$(sed -n '1s/^listening on //p' "$DIR/sim.out")
    [ -n "$SIM_BASE" ] && return 0
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.05
  done
  say "etna-sim did not start:"; cat "$DIR/sim.err" >&2; exit 1
}
sim_stop() {
  kill "$SIM_PID" 2>/dev/null || true
  wait "$SIM_PID" 2>/dev/null || true
  SIM_PID=
}
# run_stream FIGURE WHO MS ROUND PIN [NAME]: one streaming run against the simulator at SIM_BASE.
# FIGURE is rate, latency or idle; WHO libetna, floor, typed (the floor typing each quote) or
# python; NAME renames the figure.
run_stream() {
  local cmd
  case $2 in
    libetna) cmd=("$BUILD/etna_bench" "stream_$1") ;;
    floor) cmd=("$FLOOR" "$1") ;;
    typed) cmd=(env BENCH_FLOOR_TYPED=1 "$FLOOR" "$1") ;;
    python) cmd=("$PY" "$BENCH/py/ws_bench.py" "$1") ;;
  esac
  if [ "$PIN" = 1 ] && [ "$5" = 1 ]; then cmd=(taskset -c 0 "${cmd[@]}"); fi
  "${cmd[@]}" "$3" "$SIM_BASE" |
    sed -n -e "s/ fig=stream_$1 / fig=${6:-stream_$1} /" -e "s/^RESULT /RESULT round=$4 /p" >>"$RAW"
}
# in_turn ROUND WHO...: the contenders in the order round ROUND runs them, each round starting
# one further along, so that no one always runs first.
in_turn() {
  local round=$1
  shift
  local n=$#
  for i in $(seq 0 $((n - 1))); do
    local k=$(((i + round - 1) % n + 1))
    echo "${!k}"
  done
}
# CPU that other processes take during the run (other builds on a shared machine disturb the
# figures): all busy CPU time from /proc/stat, less this script's children and nginx.
busy_ticks() { awk '/^cpu /{print $2+$3+$4}' /proc/stat; }  # user, nice, system
nginx_ticks() {
  local master; master=$(cat "$DIR/nginx.pid")
  { echo "$master"; pgrep -P "$master"; } | while read -r p; do
    awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0; done | awk '{s+=$1} END {print s+0}'
}
# `times` must run in this shell (in a $(...) subshell it sees no children).
children_ticks() { times >"$DIR/times.txt"; CHILDREN=$(awk 'NR==2 {gsub(/s/,""); split($1,u,"m");
  split($2,y,"m"); printf "%d\n", (u[1]*60+u[2]+y[1]*60+y[2])*100}' "$DIR/times.txt"); }
children_ticks
TICKS0=$(( $(busy_ticks) - CHILDREN - $(nginx_ticks) ))
STEAL0=$(awk '/^cpu /{print $9}' /proc/stat)  # time the hypervisor gave our vCPUs to others
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
for round in $(seq "$ROUNDS"); do
  # Rotate the order so no contender always runs first (or right after another).
  order=()
  for i in 0 1 2 3; do order+=("${contenders[$(((i + round - 1) % 4))]}"); done
  say "round $round/$ROUNDS (order: ${order[*]}), $(($(date +%s) - START)) s so far"
  # The TLS figures: the same order without the raw floor (plain HTTP only).
  tls_order=()
  for who in "${order[@]}"; do [ "$who" = raw ] || tls_order+=("$who"); done
  if wants plain; then
    for who in "${order[@]}"; do run_one rtt "$who" "$RTT_N" "$round"; done
    for who in "${order[@]}"; do run_one tput "$who" "$TPUT_N" "$round"; done
    for who in "${order[@]}"; do run_one page "$who" "$PAGE_N" "$round"; done
    # The same page as typed orders: libetna, and libcurl with cJSON.
    for who in libetna libcurl; do run_one typed "$who" "$PAGE_N" "$round"; done
    for who in "${order[@]}"; do run_one login "$who" "$LOGIN_N" "$round"; done
    if [ "$round" -le "$MEM_ROUNDS" ]; then
      for who in "${order[@]}"; do run_one sessions "$who" "$SESSIONS_N" "$round"; done
    fi
    if [ "$round" = 1 ]; then
      for who in "${order[@]}"; do run_one growth "$who" "$GROWTH_N" "$round"; done
    fi
    run_one ffi libetna "$FFI_N" "$round"
  fi
  if wants tls; then
    # Round trip (and the CPU time of its requests) and the 4 MB page, over one kept-alive TLS
    # connection; the login from a fresh session with a full handshake (the port that never
    # resumes), then with a resumed one (libetna and libcurl: requests cannot resume across
    # sessions); 1,000 logged-in sessions with their TLS connections.
    for who in "${tls_order[@]}"; do run_one rtt "$who" "$RTT_N" "$round" "$TLS_BASE"; done
    for who in "${tls_order[@]}"; do run_one page "$who" "$PAGE_N" "$round" "$TLS_BASE"; done
    for who in "${tls_order[@]}"; do run_one login "$who" "$LOGIN_N" "$round" "$TLS_FULL_BASE"; done
    for who in "${tls_order[@]}"; do
      [ "$who" = python ] || run_one login_resumed "$who" "$LOGIN_N" "$round" "$TLS_BASE"
    done
    if [ "$round" -le "$MEM_ROUNDS" ]; then
      for who in "${tls_order[@]}"; do run_one sessions "$who" "$SESSIONS_N" "$round" "$TLS_BASE"; done
    fi
  fi
  if wants stream; then
    # 7. The firehose, read as fast as each reader can (never pinned: libetna reads on its own I/O
    # thread and hands over to the caller's, and the simulator needs a CPU of its own).
    sim_start 0 "$STREAM_RATE"
    for who in $(in_turn "$round" libetna python floor); do
      run_stream rate "$who" "$STREAM_MS" "$round" 0
    done
    sim_stop
    # 8. Latency at a steady pace; the simulator and the reader share CPU 0 (BENCH_PIN=1), like
    # nginx and the single-threaded clients, so a hand-over costs CPU work, not an idle vCPU's wake-up.
    # 8c, the same minutes: the floor typing each quote (serde_json, ten numbers parsed).
    sim_start 1 "$LATENCY_RATE"
    for who in $(in_turn "$round" libetna floor typed); do
      name=stream_latency
      if [ "$who" = typed ]; then name=stream_latency_typed; fi
      run_stream latency "$who" "$LATENCY_MS" "$round" 1 "$name"
    done
    sim_stop
    # 8b. The same pace with the simulator on CPU 1 and the reader on CPU 0, as a broker on
    # another machine and the trading tool on its own core: each quote then wakes the reader's
    # idle CPU, and the figure is that wake-up plus the reader's work, not a race for one CPU.
    if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
      sim_start 2 "$LATENCY_RATE"
      if [ $((round % 2)) = 1 ]; then pair=(libetna floor); else pair=(floor libetna); fi
      for who in "${pair[@]}"; do
        run_stream latency "$who" "$LATENCY_MS" "$round" 1 stream_latency_apart
      done
      sim_stop
    fi
    # 9. An idle quote stream (subscribed to nothing; the simulator's default pace).
    if [ "$round" -le "$IDLE_ROUNDS" ]; then
      sim_start 1 0
      run_stream idle libetna "$IDLE_MS" "$round" 1
      sim_stop
    fi
  fi
done
ELAPSED=$(($(date +%s) - START))
children_ticks
FOREIGN_TICKS=$(( $(busy_ticks) - CHILDREN - $(nginx_ticks) - TICKS0 ))
FOREIGN=$(awk -v t="$FOREIGN_TICKS" -v e="$ELAPSED" -v n="$(nproc)" \
  'BEGIN {if (t < 0) t = 0; printf "%.0f s of CPU (%.0f%% of the machine)", t/100, 100*t/100/(e*n+0.001)}')
STEAL=$(awk -v s0="$STEAL0" -v e="$ELAPSED" -v n="$(nproc)" \
  '/^cpu / {printf "%.0f%%", 100*($9-s0)/100/(e*n+0.001)}' /proc/stat)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
if grep -q '\[\(emerg\|alert\|crit\)\]' "$DIR/error.log" 2>/dev/null; then
  say "nginx reported errors:"; cat "$DIR/error.log" >&2
fi

# ---- 5. The table -----------------------------------------------------------------------------
cp "$RAW" "$BUILD/raw-results.txt"
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- src sim Cargo.toml Cargo.lock 2>/dev/null || commit="$commit+changes"
[ -n "${BENCH_ETNA_LIB:-}" ] && commit="from $LIB"
export BENCH_META_COMMIT=$commit BENCH_META_ELAPSED=$ELAPSED BENCH_META_LOAD="$LOAD_START -> $LOAD_END" \
  BENCH_META_FOREIGN="$FOREIGN" BENCH_META_STEAL="$STEAL" BENCH_META_FOREIGN_PCT="$(awk -v t="$FOREIGN_TICKS" -v e="$ELAPSED" -v n="$(nproc)" 'BEGIN {if (t < 0) t = 0; printf "%.0f", 100*t/100/(e*n+0.001)}')" \
  BENCH_META_CPU="$(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
  BENCH_META_KERNEL="$(uname -r)" BENCH_META_NGINX="$("$NGINX" -v 2>&1 | sed 's/.*: //'), $WORKERS worker(s)$([ "$PIN" = 1 ] && echo ", pinned with the single-threaded clients to CPU 0")" \
  BENCH_META_CURL="$(curl-config --version 2>/dev/null) ($(curl-config --ssl-backends 2>/dev/null | sed 's/ v/ /'))" \
  BENCH_META_TLS="$("$NGINX" -V 2>&1 | sed -n 's/^built with //p' | sed 's/ *$//'); the run's own test CA and RSA 2048 server certificate" \
  BENCH_META_PYTHON="$PY_VERSIONS" \
  BENCH_META_RUSTC="$(rustc --version)" \
  BENCH_META_COUNTS="rounds=$ROUNDS rtt=$RTT_N tput=$TPUT_N page=$PAGE_N login=$LOGIN_N sessions=$SESSIONS_N mem_rounds=$MEM_ROUNDS growth=$GROWTH_N ffi=$FFI_N stream_rate=$STREAM_RATE/s stream_ms=$STREAM_MS latency_rate=$LATENCY_RATE/s latency_ms=$LATENCY_MS idle_ms=$IDLE_MS idle_rounds=$IDLE_ROUNDS warmup_ms=$BENCH_STREAM_WARMUP_MS" \
  BENCH_STREAM_RATE=$STREAM_RATE BENCH_LATENCY_RATE=$LATENCY_RATE \
  BENCH_META_COMMAND="$([ "$QUICK" = 1 ] && echo 'BENCH_QUICK=1 ')bench/run.sh" \
  BENCH_SO_BYTES=$SO_BYTES BENCH_SO_RAW_BYTES=$SO_RAW_BYTES
"$PY" "$BENCH/report.py" "$RAW" | tee "$OUT"
say "table written to ${OUT#"$REPO"/}; raw lines in ${BUILD#"$REPO"/}/raw-results.txt"
