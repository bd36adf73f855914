#!/usr/bin/env bash
# Makes a throwaway demo PKI with openssl and keytool: a CA, client identities in every format the
# sample profiles use (PEM, encrypted PEM, PKCS12, JKS), and a WSO2-style home with JKS stores.
# Never use these for anything but the demo.
set -euo pipefail
out=${1:?usage: make-pki.sh OUTPUT_DIR}
mkdir -p "$out/pki" "$out/wso2-home/repository/resources/security"
cd "$out/pki"
days=30
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# A CA for client identities and one for the demo backends.
ec ca.key
openssl req -x509 -new -key ca.key -out ca.pem -days $days -subj "/O=mtls-demo/CN=Demo Client CA" 2>/dev/null
ec backend-ca.key
openssl req -x509 -new -key backend-ca.key -out backend-ca.pem -days $days -subj "/O=mtls-demo/CN=Demo Backend CA" 2>/dev/null

# issue NAME KEYFN SUBJECT EXT: a certificate for NAME.key signed by the demo client CA.
issue() {
  "$2" "$1.key"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days \
    -extfile <(printf '%s\n' "$4") -out "$1.pem" 2>/dev/null
  cat "$1.pem" > "$1-chain.pem"
  rm -f "$1.csr"
}
issue bot-client ec "/O=mtls-demo/CN=bot-client" "extendedKeyUsage=clientAuth"
issue orders-client rsa "/O=mtls-demo/CN=orders-client" "extendedKeyUsage=clientAuth"
issue crm-client ec "/O=mtls-demo/CN=crm-client" "extendedKeyUsage=clientAuth"
issue wso2-client rsa "/O=mtls-demo/CN=wso2-client" "extendedKeyUsage=clientAuth"

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
