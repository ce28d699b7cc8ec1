#!/usr/bin/env bash
# Start-up benchmark: one `ocipin digest` through the launcher (examples/target/ocipin) against
# `skopeo inspect --raw` of the same tag on the same loopback registry, paired run by run, over
# plain HTTP and over TLS (the CA in $HOME/.config/containers/certs.d/HOST/ca.crt, which both
# read). Prints medians and ratios, and the time from ocipin's printed line to its exit.
#
# Needs: docker-registry, skopeo, openssl (Debian packages), and a built examples/target/ocipin
# (./mvnw -B -q package -DskipTests). JAVA_HOME picks the JDK (default: Temurin 25 if present).
# RUNS=N sets the number of pairs (default 15). Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-15}"
if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-*; do
    if [ -x "$j/bin/java" ]; then JAVA_HOME="$j"; break; fi
  done
fi
export JAVA_HOME
launcher="$PWD/examples/target/ocipin"
[ -x "$launcher" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export HOME="$work/home" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # serve NAME PORT [TLS-YAML]
  mkdir -p "$work/$1"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n%s' \
    "$work/$1/data" "$2" "${3:-}" > "$work/$1/config.yml"
  docker-registry serve "$work/$1/config.yml" > "$work/$1/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sk -o /dev/null "http://127.0.0.1:$2/v2/" && return 0
    curl -sk -o /dev/null "https://127.0.0.1:$2/v2/" && return 0
    sleep 0.05
  done
  echo "registry $1 did not start" >&2; exit 2
}

plain_port="$(free_port)"
tls_port="$(free_port)"
# A CA and a certificate for 127.0.0.1, as a private registry would have.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$work/ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/ext" -out "$work/tls.crt" 2>/dev/null
mkdir -p "$HOME/.config/containers/certs.d/127.0.0.1:$tls_port"
cp "$work/ca.crt" "$HOME/.config/containers/certs.d/127.0.0.1:$tls_port/ca.crt"

serve plain "$plain_port"
serve tls "$tls_port" "$(printf '  tls:\n    certificate: %s\n    key: %s\n' "$work/tls.crt" "$work/tls.key")"

src="oci:examples/layout:docker.io/library/ruby:3.3.0-slim"
skopeo copy -q --all --preserve-digests --dest-tls-verify=false "$src" \
  "docker://127.0.0.1:$plain_port/library/ruby:3.3.0-slim"
skopeo copy -q --all --preserve-digests "$src" "docker://127.0.0.1:$tls_port/library/ruby:3.3.0-slim"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# Warm the launcher's caches (JDK 25: each made in the background after its first run): one for
# runs that speak TLS, one for runs that do not; the launcher remembers which each registry spoke.
for train_port in "$plain_port" "$tls_port"; do
  "$launcher" digest "127.0.0.1:$train_port/library/ruby:3.3.0-slim" > /dev/null
  for _ in $(seq 150); do
    [ -z "$(find "$XDG_CACHE_HOME/ocipin" -name '*.tmp*')" ] && break
    sleep 0.2
  done
done
for port in "$plain_port" "$tls_port"; do
  echo "start mode for 127.0.0.1:$port: $("$launcher" --version digest "127.0.0.1:$port/x:1" | tail -1 | sed 's/.*start: //')"
done

for mode in plain tls; do
  port=$plain_port; skopeo_tls=(--tls-verify=false)
  if [ "$mode" = tls ]; then port=$tls_port; skopeo_tls=(); fi
  ref="127.0.0.1:$port/library/ruby:3.3.0-slim"
  expected="$(skopeo inspect --raw "${skopeo_tls[@]}" "docker://$ref" | sha256sum | cut -d' ' -f1)"
  : > "$work/o.$mode"; : > "$work/s.$mode"; : > "$work/x.$mode"
  for i in $(seq "$runs"); do
    for who in o s; do
      # Alternate which goes first, so neither always meets a warmer page cache.
      if { [ "$who" = o ] && [ $((i % 2)) = 0 ]; } || { [ "$who" = s ] && [ $((i % 2)) = 1 ]; }; then
        t0=$(now)
        got="$("$launcher" digest "$ref")"
        t1=$(now)
        [ "$got" = "sha256:$expected" ] || { echo "ocipin printed $got, expected sha256:$expected" >&2; exit 1; }
        echo $(((t1 - t0) / 1000)) >> "$work/o.$mode"
      else
        t0=$(now)
        skopeo inspect --raw "${skopeo_tls[@]}" "docker://$ref" > /dev/null
        t1=$(now)
        echo $(((t1 - t0) / 1000)) >> "$work/s.$mode"
      fi
    done
    # From the printed line to the process's exit.
    { "$launcher" digest "$ref"; now > "$work/exit"; } | { read -r _; now > "$work/line"; cat > /dev/null; }
    echo $((($(cat "$work/exit") - $(cat "$work/line")) / 1000)) >> "$work/x.$mode"
  done
  o=$(median < "$work/o.$mode"); s=$(median < "$work/s.$mode"); x=$(median < "$work/x.$mode")
  awk -v m="$mode" -v o="$o" -v s="$s" -v x="$x" -v n="$runs" 'BEGIN {
    printf "%-5s %2d pairs: ocipin digest median %6.1f ms, skopeo inspect --raw median %6.1f ms, ratio %.2fx; printed line to exit %.1f ms\n",
      m, n, o / 1000, s / 1000, o / s, x / 1000 }'
done
