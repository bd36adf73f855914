#!/usr/bin/env bash
# The README's demo, end to end: builds the agent and the demo programs, makes a throwaway PKI,
# starts an unmodified HTTPS backend (no client-auth code) with the agent and a mandatory listener,
# shows a caller without a certificate refused, and runs an unmodified "bot runtime" against it
# without the agent, with it, through a rotation of its client certificate and through a rotation
# of the backend's server certificate.
#   run.sh [--no-build]     --no-build: use the jars and classes already built (the demo's test)
# MTLS_DEMO_DIR sets the work folder (default examples/target/demo); it is emptied first.
set -euo pipefail
build=true
case "${1:-}" in
  --no-build) build=false ;;
  "") ;;
  *) echo "usage: run.sh [--no-build]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
demo=${MTLS_DEMO_DIR:-$root/examples/target/demo}
jar="$root/agent/target/mtls-agent.jar"

if $build; then
  echo "== building (mvn package, tests skipped)"
  mvn -B -q -f "$root/pom.xml" package -DskipTests
fi
classpath="$root/examples/target/classes:$(cat "$root/examples/target/demo-classpath.txt")"
rm -rf "$demo"
bash "$root/examples/demo/make-pki.sh" "$demo" >/dev/null
cp "$root/examples/demo/bot-profiles.yaml" "$root/examples/demo/backend-listeners.yaml" \
  "$root/examples/profiles/profiles.yaml" "$root/examples/profiles/wso2-ssl-profiles.xml" "$demo/"
export ORDERS_KEY_PASSWORD=demo-orders-pass
export BACKEND_STORE_PASSWORD=demo-backend-pass
echo "== a throwaway PKI in ${demo#"$root"/}: demo CAs, the bot's client certificate, the backend's"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for FILE PATTERN: until a line of FILE matches, 30 s at most.
wait_for() {
  for _ in $(seq 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run.sh: gave up waiting for '$2' in $1" >&2
  exit 1
}

echo
echo "== check the demo's files before using them: java -jar mtls-agent.jar check, which"
java -jar "$jar" check "$demo/bot-profiles.yaml"
java -jar "$jar" which "$demo/bot-profiles.yaml" localhost
java -jar "$jar" check "$demo/backend-listeners.yaml"

agent_options="reload=1s"
echo
echo "== the demo backend: a plain HTTPS server with no client-auth code, started with"
echo "   -javaagent:$(basename "$jar")=profiles=backend-listeners.yaml (listener demo-backend: mandatory,"
echo "   the demo client CA, allow-list CN=bot-client and CN=bot-client-rotated)"
java "-javaagent:$jar=profiles=$demo/backend-listeners.yaml,$agent_options" \
  -Djava.util.logging.SimpleFormatter.format='%5$s%n' \
  -cp "$classpath" dev.mtls.examples.demo.DemoBackend "$demo/pki" >"$demo/backend.log" 2>&1 &
pids+=($!)
wait_for "$demo/backend.log" "listening on"
url=$(grep -o 'https://[^ ]*' "$demo/backend.log" | head -n 1)
port=${url##*:}
port=${port%%/*}
echo "$url"

# A caller with no certificate, on an independent TLS stack: openssl reads the server's alert when
# it sends its request (in TLS 1.3 the client's side of the handshake is over before the server has
# checked its certificate).
alert=$(printf 'GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n' \
  | openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$demo/pki/backend-ca.pem" \
    -ign_eof 2>&1 | grep -o 'alert [a-z ]*' | head -n 1 || true)
echo "openssl s_client, no client certificate -> refused: ${alert:-no alert read}"
wait_for "$demo/backend.log" "refused a handshake"
echo "   backend log: $(grep 'refused a handshake' "$demo/backend.log" | head -n 1)"

# The bot runtime trusts the backend's CA the standard way and configures no key material. The log
# format only shortens the agent's java.util.logging lines to their message.
bot=(java -Djavax.net.ssl.trustStore="$demo/pki/backend-truststore.p12"
  -Djavax.net.ssl.trustStorePassword=demo-trust-pass -Djava.util.logging.SimpleFormatter.format='%5$s%n'
  -cp "$classpath")
agent="-javaagent:$jar=profiles=$demo/bot-profiles.yaml,$agent_options"

echo
echo "== 1. the bot runtime, no agent: the backend's listener refuses every call"
"${bot[@]}" dev.mtls.examples.demo.BotRuntime "$url" 2>&1 || true

echo
echo "== 2. the same bot runtime with $(basename "$jar") (profile demo-backend: localhost -> bot-client)"
"${bot[@]}" "$agent" dev.mtls.examples.demo.BotRuntime "$url" 2>&1

echo
echo "== 3. rotation: a new bot-client certificate replaces the PEM files while the bot keeps calling"
{
  "${bot[@]}" "$agent" dev.mtls.examples.demo.BotRuntime "$url" --rounds 8 2>&1 && echo 0 >"$demo/rotation.status" \
    || echo 1 >"$demo/rotation.status"
} | tee "$demo/rotation.log" &
loop=$!
pids+=($loop)
wait_for "$demo/rotation.log" "^round  2"
bash "$root/examples/demo/make-pki.sh" rotate "$demo" bot-client-rotated
echo "   -- pki/bot-client.key and pki/bot-client-chain.pem replaced: CN=bot-client-rotated"
wait $loop
[ "$(cat "$demo/rotation.status")" = 0 ] || { echo "run.sh: a call failed during the rotation" >&2; exit 1; }

echo
echo "== 4. the backend's server certificate: a second one replaces pki/backend.p12 while the bot keeps calling"
{
  "${bot[@]}" "$agent" dev.mtls.examples.demo.BotRuntime "$url" --rounds 5 --server 2>&1 \
    && echo 0 >"$demo/server-rotation.status" || echo 1 >"$demo/server-rotation.status"
} | tee "$demo/server-rotation.log" &
loop=$!
pids+=($loop)
wait_for "$demo/server-rotation.log" "^round  1"
bash "$root/examples/demo/make-pki.sh" rotate-backend "$demo" demo-backend-rotated
echo "   -- pki/backend.p12 replaced: CN=demo-backend-rotated; the backend keeps running"
wait_for "$demo/backend.log" "listeners added \[\], changed \[demo-backend\]"
echo "   -- backend log: $(grep 'changed \[demo-backend\]' "$demo/backend.log" | tail -n 1)"
wait $loop
[ "$(cat "$demo/server-rotation.status")" = 0 ] \
  || { echo "run.sh: a call failed during the server certificate rotation" >&2; exit 1; }

echo
echo "== the sample profiles in both formats (examples/profiles/), checked the same way"
java -jar "$jar" check "$demo/profiles.yaml"
java -jar "$jar" check "$demo/wso2-ssl-profiles.xml" --base "$demo/wso2-home"
