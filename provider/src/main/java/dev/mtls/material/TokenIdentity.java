package dev.mtls.material;

import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Pkcs11Key;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An identity whose key stays in a PKCS#11 token: the key's handle and the certificates the token
 * holds under its label, or the chain file {@code certificate:} names instead. Checked as a file
 * identity is (leaf first, key purpose), and the pair proven by a signature the token makes, which
 * also proves the login and the session work now.
 */
final class TokenIdentity {
    private TokenIdentity() {
    }

    static Identity read(IdentitySpec spec, boolean server) throws MaterialException {
        Pkcs11Key key = spec.pkcs11();
        String source = Pkcs11Tokens.describe(key);
        Pkcs11Tokens.Contents contents = Pkcs11Tokens.read(key);
        List<X509Certificate> chain = spec.certificate() != null ? PemReader.readCertificates(spec.certificate())
                : contents.chain;
        Object chainSource = spec.certificate() != null ? spec.certificate() : source;
        List<X509Certificate> ordered = ChainOrder.leafFirst(chainSource, chain);
        KeyPairCheck.checkOnToken(source, contents.key, ordered.get(0));
        if (server) {
            KeyPurposeCheck.server(chainSource, ordered.get(0));
        } else {
            KeyPurposeCheck.client(chainSource, ordered.get(0));
        }
        return new Identity(contents.key, ordered);
    }
}
