#!/usr/bin/env bash
# Makes a throwaway demo PKI with openssl and keytool: a CA, client identities in every format the
# sample profiles use (PEM, encrypted PEM, PKCS12, JKS), a WSO2-style home with JKS stores, and the
# demo backend's server certificate and the bot runtime's trust store.
#   make-pki.sh OUTPUT_DIR              the whole PKI
#   make-pki.sh rotate OUTPUT_DIR [CN]  a new key and certificate for bot-client (default CN
#                                       bot-client-rotated), renamed over the old PEM files
#   make-pki.sh rotate-backend OUTPUT_DIR [CN]
#                                       a second server certificate for the demo backend (default CN
#                                       demo-backend-rotated), its backend.p12 renamed over the old one
# Never use these for anything but the demo.
set -euo pipefail
usage="usage: make-pki.sh OUTPUT_DIR | make-pki.sh rotate OUTPUT_DIR [CN] | make-pki.sh rotate-backend OUTPUT_DIR [CN]"
mode=all
case "${1:-}" in
  rotate | rotate-backend)
    mode=$1
    shift
    ;;
esac
out=${1:?$usage}
days=30
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# issue NAME KEYFN SUBJECT EXT [CA]: a certificate for a new NAME.key, signed by CA (default: the
# demo client CA), as NAME.pem and NAME-chain.pem.
issue() {
  local ca=${5:-ca}
  "$2" "$1.key"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial -days $days \
    -extfile <(printf '%s\n' "$4") -out "$1.pem" 2>/dev/null
  cat "$1.pem" > "$1-chain.pem"
  rm -f "$1.csr"
}

if [ $mode = rotate ]; then
  # Everything is written beside the old files first, then renamed over them: the agent never reads
  # a half-written file, only (for an instant) a new key beside the old certificate, which it
  # refuses as a mismatch and keeps the last good identity until its next check.
  cd "$out/pki"
  issue bot-client.next ec "/O=mtls-demo/CN=${2:-bot-client-rotated}" "extendedKeyUsage=clientAuth"
  chmod 600 bot-client.next.key
  mv -f bot-client.next.pem bot-client.pem
  mv -f bot-client.next.key bot-client.key
  mv -f bot-client.next-chain.pem bot-client-chain.pem
  rm -f ./*.srl
  exit 0
fi

# backend_store NAME CN: a server certificate for localhost from the backend CA, as a PKCS12 store
# NAME.p12 (the demo backend reads it, and so does the agent's listener). The subject names the
# certificate (CN=demo-backend...); clients check the localhost in its subject alternative names.
backend_store() {
  issue "$1" ec "/O=mtls-demo/CN=$2" \
    "$(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth')" backend-ca
  openssl pkcs12 -export -in "$1.pem" -inkey "$1.key" -name backend -out "$1.p12" \
    -passout pass:demo-backend-pass
  chmod 600 "$1.p12"
  rm -f "$1.key" "$1.pem" "$1-chain.pem"
}

if [ $mode = rotate-backend ]; then
  # Written beside the old store, then renamed over it: the agent reads either the old store or
  # the new one, never half of one.
  cd "$out/pki"
  backend_store backend.next "${2:-demo-backend-rotated}"
  mv -f backend.next.p12 backend.p12
  rm -f ./*.srl
  exit 0
fi

mkdir -p "$out/pki" "$out/wso2-home/repository/resources/security"
cd "$out/pki"

# A CA for client identities and one for the demo backends.
ec ca.key
openssl req -x509 -new -key ca.key -out ca.pem -days $days -subj "/O=mtls-demo/CN=Demo Client CA" 2>/dev/null
ec backend-ca.key
openssl req -x509 -new -key backend-ca.key -out backend-ca.pem -days $days -subj "/O=mtls-demo/CN=Demo Backend CA" 2>/dev/null
issue bot-client ec "/O=mtls-demo/CN=bot-client" "extendedKeyUsage=clientAuth"
issue orders-client rsa "/O=mtls-demo/CN=orders-client" "extendedKeyUsage=clientAuth"
issue crm-client ec "/O=mtls-demo/CN=crm-client" "extendedKeyUsage=clientAuth"
issue wso2-client rsa "/O=mtls-demo/CN=wso2-client" "extendedKeyUsage=clientAuth"

# The demo backend (DemoBackend): its server certificate in a PKCS12 store; and the bot runtime's
# trust store (javax.net.ssl.trustStore) with the backend CA. keytool, not openssl, writes the trust
# store: Java only trusts PKCS12 certificate entries that carry its trusted-key-usage mark.
backend_store backend demo-backend
rm -f backend-truststore.p12
keytool -importcert -noprompt -alias demo-backend-ca -file backend-ca.pem -keystore backend-truststore.p12 \
  -storetype PKCS12 -storepass demo-trust-pass >/dev/null 2>&1

# orders: the key encrypted as PKCS#8 (its password comes from the environment in the profile).
openssl pkcs8 -topk8 -in orders-client.key -out orders-client.enc.key -passout pass:demo-orders-pass
rm orders-client.key
# crm: a PKCS12 keystore, its password in a file beside it.
printf 'demo-crm-pass\n' > crm-store-password.txt
openssl pkcs12 -export -in crm-client.pem -inkey crm-client.key -name crm -out crm-client.p12 \
  -passout pass:demo-crm-pass
rm crm-client.key crm-client.pem crm-client-chain.pem

# WSO2: the stores named by the WSO2 sample, relative to an API Manager home.
security="$out/wso2-home/repository/resources/security"
openssl pkcs12 -export -in wso2-client.pem -inkey wso2-client.key -name wso2carbon -out wso2-client.p12 \
  -passout pass:wso2carbon
rm -f "$security/wso2carbon.jks" "$security/client-truststore.jks"
keytool -importkeystore -srckeystore wso2-client.p12 -srcstoretype PKCS12 -srcstorepass wso2carbon \
  -destkeystore "$security/wso2carbon.jks" -deststoretype JKS -deststorepass wso2carbon \
  -destkeypass wso2carbon -noprompt >/dev/null 2>&1
keytool -importcert -noprompt -alias demo-backend-ca -file backend-ca.pem -keystore "$security/client-truststore.jks" \
  -storetype JKS -storepass wso2carbon >/dev/null 2>&1
rm wso2-client.p12 wso2-client.key wso2-client.pem wso2-client-chain.pem

chmod 600 ./*.key ./*.p12 crm-store-password.txt "$security"/*.jks
rm -f ./*.srl
echo "demo PKI written to $out"
