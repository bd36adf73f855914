#!/usr/bin/env bash
# The README's demo: builds the agent, makes a throwaway PKI, and checks the sample profiles in
# both formats with the agent's command-line tool.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
demo="$root/examples/target/demo"
jar="$root/agent/target/mtls-agent.jar"

echo "== building (mvn package, tests skipped)"
mvn -B -q -f "$root/pom.xml" package -DskipTests
rm -rf "$demo"
bash "$root/examples/demo/make-pki.sh" "$demo"
cp "$root/examples/profiles/profiles.yaml" "$root/examples/profiles/wso2-ssl-profiles.xml" "$demo/"
export ORDERS_KEY_PASSWORD=demo-orders-pass

echo
echo "== java -jar mtls-agent.jar check profiles.yaml"
java -jar "$jar" check "$demo/profiles.yaml"
echo
echo "== java -jar mtls-agent.jar check wso2-ssl-profiles.xml --base wso2-home"
java -jar "$jar" check "$demo/wso2-ssl-profiles.xml" --base "$demo/wso2-home"
echo
echo "== java -jar mtls-agent.jar which profiles.yaml …"
for host in payments.internal:8443 api.crm.example.com orders.internal:443 www.example.org:443; do
  java -jar "$jar" which "$demo/profiles.yaml" "$host"
done
