package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Shared checks: exact operator messages, no secrets in them, and keys that really sign. */
final class MaterialAssertions {
    static final String STORE_PASSWORD = "Store-Pa55-7c1";
    static final String KEY_PASSWORD = "Key-Pa55-93b";
    static final String WRONG_PASSWORD = "Wrong-Pa55-x0";
    private static final List<String> SECRETS = List.of(STORE_PASSWORD, KEY_PASSWORD, WRONG_PASSWORD);

    private MaterialAssertions() {
    }

    /** The message is exactly {@code expected}; no password appears anywhere, causes and traces included. */
    static MaterialException assertFailsWith(String expected, Executable load) {
        MaterialException e = assertThrows(MaterialException.class, load);
        assertEquals(expected, e.getMessage());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        for (String secret : SECRETS) {
            assertFalse(trace.toString().contains(secret), "a password leaked into the exception");
        }
        assertFalse(trace.toString().contains("-----BEGIN"), "PEM text leaked into the exception");
        return e;
    }

    /** The identity's key is the leaf's: a signature made with it verifies under the certificate. */
    static void assertKeyMatchesLeaf(Identity identity, X509Certificate expectedLeaf) throws Exception {
        assertEquals(expectedLeaf, identity.leaf());
        String algorithm;
        switch (identity.keyType()) {
            case "RSA": algorithm = "SHA256withRSA"; break;
            case "EC": algorithm = "SHA256withECDSA"; break;
            default: algorithm = "Ed25519";
        }
        byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(identity.privateKey());
        signer.update(message);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(expectedLeaf.getPublicKey());
        verifier.update(message);
        assertTrue(verifier.verify(signer.sign()), "key does not sign for the leaf");
        // JSSE uses the JDK's key classes directly; a Bouncy Castle key would be a detour.
        assertFalse(identity.privateKey().getClass().getName().startsWith("org.bouncycastle"),
                identity.privateKey().getClass().getName());
    }
}
