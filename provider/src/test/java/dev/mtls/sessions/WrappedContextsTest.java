package dev.mtls.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.jsse.TestClients;
import java.lang.ref.WeakReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class WrappedContextsTest {

    @Test
    void registeredContextIsSweptUntilTheApplicationDropsIt() throws Exception {
        SSLContext context = TestClients.plain(null, null);

        WrappedContexts.register(context);
        WrappedContexts.register(context);

        assertEquals(1, WrappedContexts.live().stream().filter(live -> live == context).count());
    }

    @Test
    void registeringDoesNotKeepAContextAlive() throws Exception {
        WeakReference<SSLContext> dropped = registerAndForget();

        for (int i = 0; i < 50 && dropped.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }

        assertNull(dropped.get(), "the registry kept an SSLContext the application no longer holds");
        assertTrue(WrappedContexts.live().stream().noneMatch(live -> live == null));
    }

    @Test
    void defaultContextIsSweptOnlyWhenTheJvmAlreadyMadeIt() throws Exception {
        SSLContext madeByTheJvm = TestClients.plain(null, null);
        try {
            WrappedContexts.findDefaultContextWith(() -> null);
            assertTrue(WrappedContexts.live().stream().noneMatch(live -> live == madeByTheJvm));

            WrappedContexts.findDefaultContextWith(() -> madeByTheJvm);
            assertTrue(WrappedContexts.live().stream().anyMatch(live -> live == madeByTheJvm));
            assertTrue(WrappedContexts.canSeeDefaultContext());
        } finally {
            WrappedContexts.findDefaultContextWith(null);
        }
    }

    @Test
    void registeringNullIsIgnored() {
        int before = WrappedContexts.size();

        WrappedContexts.register(null);

        assertEquals(before, WrappedContexts.size());
    }

    private static WeakReference<SSLContext> registerAndForget() throws Exception {
        SSLContext context = TestClients.plain(null, null);
        WrappedContexts.register(context);
        return new WeakReference<>(context);
    }
}
