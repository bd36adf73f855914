package dev.mtls.agent.cli;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * For {@code probe}: the agent's key manager, plus what the handshake asked of it. JSSE asks a
 * client's key manager only when the server requested a certificate, and passes the issuers the
 * server named.
 */
final class RecordingKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    volatile boolean asked;
    volatile Principal[] issuers;
    volatile X509Certificate[] sent;

    RecordingKeyManager(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return record(issuers, delegate.chooseClientAlias(keyTypes, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return record(issuers, delegate.chooseEngineClientAlias(keyTypes, issuers, engine));
    }

    /** JSSE may ask once per key type: the last alias chosen is the one sent. */
    private String record(Principal[] issuers, String alias) {
        asked = true;
        this.issuers = issuers;
        if (alias != null) {
            sent = delegate.getCertificateChain(alias);
        }
        return alias;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }
}
