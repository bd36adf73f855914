package dev.mtls.jsse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mtls.snapshot.ProfileSource;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

class ManagerWrappingTest {
    private static final ProfileSource NONE = () -> Profiles.snapshot(1);
    private static final KeyManager NOT_X509 = new KeyManager() {
    };
    private static final TrustManager NOT_X509_TRUST = new TrustManager() {
    };

    @Test
    void nullKeyManagersBecomeOneRoutingKeyManagerWithoutDelegate() {
        KeyManager[] wrapped = ManagerWrapping.wrapKeyManagers(null, NONE);
        assertEquals(1, wrapped.length);
        assertNull(((RoutingKeyManager) wrapped[0]).delegate());
    }

    @Test
    void replacesFirstX509KeyManagerInPlaceWithoutTouchingTheCallersArray() throws Exception {
        KeyManager own = TestClients.ownKeys(TestCerts.APP_CLIENT)[0];
        KeyManager[] managers = {NOT_X509, own};
        KeyManager[] wrapped = ManagerWrapping.wrapKeyManagers(managers, NONE);
        assertEquals(2, wrapped.length);
        assertSame(NOT_X509, wrapped[0]);
        assertSame(own, ((RoutingKeyManager) wrapped[1]).delegate());
        assertSame(own, managers[1]);
    }

    @Test
    void putsRoutingKeyManagerFirstWhenThereIsNoX509KeyManager() {
        KeyManager[] wrapped = ManagerWrapping.wrapKeyManagers(new KeyManager[] {NOT_X509}, NONE);
        assertInstanceOf(RoutingKeyManager.class, wrapped[0]);
        assertSame(NOT_X509, wrapped[1]);
    }

    @Test
    void wrappingKeyManagersTwiceChangesNothing() throws Exception {
        KeyManager[] once = ManagerWrapping.wrapKeyManagers(TestClients.ownKeys(TestCerts.APP_CLIENT), NONE);
        assertSame(once, ManagerWrapping.wrapKeyManagers(once, NONE));
        KeyManager[] fromNull = ManagerWrapping.wrapKeyManagers(null, NONE);
        assertSame(fromNull, ManagerWrapping.wrapKeyManagers(fromNull, NONE));
    }

    @Test
    void extendedTrustManagerGetsRoutingWrapperAndPlainOneStaysPlain() throws Exception {
        TrustManager[] extended = TestClients.trusting(TestCerts.SERVER_CA.certificate());
        TrustManager[] wrapped = ManagerWrapping.wrapTrustManagers(extended, NONE);
        assertSame(extended[0], ((RoutingTrustManager) wrapped[0]).delegate());
        assertInstanceOf(X509ExtendedTrustManager.class, extended[0]);
    }

    @Test
    void wrappingTrustManagersTwiceChangesNothing() throws Exception {
        TrustManager[] once = ManagerWrapping.wrapTrustManagers(TestClients.trusting(TestCerts.SERVER_CA.certificate()),
                NONE);
        assertSame(once, ManagerWrapping.wrapTrustManagers(once, NONE));
    }

    @Test
    void trustManagersWithoutX509OneOrNullStayAsTheyAre() {
        TrustManager[] managers = {NOT_X509_TRUST};
        assertSame(managers, ManagerWrapping.wrapTrustManagers(managers, NONE));
        assertNull(ManagerWrapping.wrapTrustManagers(null, NONE));
    }

    @Test
    void neverThrowsAndReturnsInputOnInternalFailure() throws Exception {
        KeyManager[] keys = TestClients.ownKeys(TestCerts.APP_CLIENT);
        TrustManager[] trust = TestClients.trusting(TestCerts.SERVER_CA.certificate());
        assertArrayEquals(keys, ManagerWrapping.wrapKeyManagers(keys, null));
        assertSame(trust, ManagerWrapping.wrapTrustManagers(trust, null));
        assertNull(ManagerWrapping.wrapKeyManagers(null, null));
    }
}
