package dev.mtls.agent.netty;

import dev.mtls.listen.ServerHandshakes;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of a Netty server on the OpenSSL engine (see {@link NettyServerManagers}). Netty
 * asks {@link #chooseEngineServerAlias} at the start of every server handshake, before it asks for
 * a client certificate: the one place where the agent can decide the handshake's listener. The
 * decision is {@link ServerHandshakes#decideWithoutPort}'s, so the routing managers behind it then
 * find the handshake covered exactly as a SunJSSE one: the listener's certificate is presented,
 * and the client's is checked against its trust and allow-list.
 *
 * <p>A refusal is thrown: Netty fails that handshake with it (the client gets an alert). The
 * client authentication a listener asks for is set on that engine only, never lowered, so the
 * server's other handshakes and its own setting are untouched.
 */
final class ListenerKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager routing;
    private final boolean trustIsOurs;

    /**
     * @param routing the agent's routing key manager (around the application's)
     * @param trustIsOurs whether the context's trust manager is the agent's, without which a listener's
     *        trust cannot be enforced
     */
    ListenerKeyManager(X509ExtendedKeyManager routing, boolean trustIsOurs) {
        this.routing = routing;
        this.trustIsOurs = trustIsOurs;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Object answer = ServerHandshakes.decideWithoutPort(engine, trustIsOurs);
        if (answer instanceof String) {
            throw new IllegalStateException((String) answer);
        }
        if (ServerHandshakes.REQUIRE == (Integer) answer && !engine.getNeedClientAuth()) {
            engine.setNeedClientAuth(true);
        } else if (ServerHandshakes.REQUEST == (Integer) answer && !engine.getNeedClientAuth()
                && !engine.getWantClientAuth()) {
            engine.setWantClientAuth(true);
        }
        return routing.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return routing.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return routing.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return routing.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return routing.chooseClientAlias(keyTypes, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return routing.chooseEngineClientAlias(keyTypes, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return routing.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return routing.getPrivateKey(alias);
    }
}
