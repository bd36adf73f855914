package dev.mtls.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The same generated code, loaded under a test name outside java.base. */
class InitHookClassTest {
    private static final String TEST_NAME = "dev.mtls.agent.hook.generated.MtlsInitHook";

    private Class<?> hook;
    private Method keyManagers;
    private Method trustManagers;

    @BeforeEach
    void defineHook() throws Exception {
        byte[] bytes = InitHookClass.bytes(TEST_NAME.replace('.', '/'));
        hook = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(TEST_NAME, bytes, 0, bytes.length);
            }
        }.define();
        keyManagers = hook.getDeclaredMethod(InitHookClass.KEY_METHOD, KeyManager[].class);
        trustManagers = hook.getDeclaredMethod(InitHookClass.TRUST_METHOD, TrustManager[].class);
        keyManagers.setAccessible(true);
        trustManagers.setAccessible(true);
    }

    @Test
    void passesManagersThroughWhileNoFunctionIsSet() throws Exception {
        KeyManager[] managers = {Mockito.mock(X509KeyManager.class)};
        assertSame(managers, keyManagers.invoke(null, (Object) managers));
        assertSame(null, keyManagers.invoke(null, (Object) null));
        TrustManager[] trust = {};
        assertSame(trust, trustManagers.invoke(null, (Object) trust));
    }

    @Test
    void returnsWhatTheFunctionReturns() throws Exception {
        KeyManager[] wrapped = {Mockito.mock(X509KeyManager.class)};
        TrustManager[] wrappedTrust = {};
        set(InitHookClass.KEY_FUNCTION, managers -> wrapped);
        set(InitHookClass.TRUST_FUNCTION, managers -> wrappedTrust);
        assertSame(wrapped, keyManagers.invoke(null, (Object) null));
        assertSame(wrappedTrust, trustManagers.invoke(null, (Object) new TrustManager[0]));
    }

    @Test
    void passesManagersThroughWhenTheFunctionThrows() throws Exception {
        set(InitHookClass.KEY_FUNCTION, managers -> {
            throw new StackOverflowError();
        });
        KeyManager[] managers = {};
        assertSame(managers, keyManagers.invoke(null, (Object) managers));
    }

    @Test
    void passesManagersThroughWhenTheFunctionReturnsTheWrongType() throws Exception {
        set(InitHookClass.TRUST_FUNCTION, managers -> "not an array");
        TrustManager[] managers = {};
        assertSame(managers, trustManagers.invoke(null, (Object) managers));
    }

    @Test
    void handsTheContextToItsFunctionAndReturnsItEvenWhenTheFunctionThrows() throws Exception {
        Method context = hook.getDeclaredMethod(InitHookClass.CONTEXT_METHOD, SSLContext.class);
        context.setAccessible(true);
        SSLContext sslContext = SSLContext.getInstance("TLS");
        List<Object> seen = new ArrayList<>();
        set(InitHookClass.CONTEXT_FUNCTION, given -> {
            seen.add(given);
            return given;
        });
        assertSame(sslContext, context.invoke(null, sslContext));
        assertEquals(List.of(sslContext), seen);
        set(InitHookClass.CONTEXT_FUNCTION, given -> {
            throw new IllegalStateException("a bug of ours");
        });
        assertSame(sslContext, context.invoke(null, sslContext));
    }

    @Test
    void exposesNothingPublic() {
        assertEquals(0, hook.getModifiers() & Modifier.PUBLIC);
        for (Field field : hook.getDeclaredFields()) {
            assertTrue(Modifier.isStatic(field.getModifiers()) && Modifier.isVolatile(field.getModifiers())
                    && !Modifier.isPublic(field.getModifiers()), field.toString());
        }
        for (Method method : hook.getDeclaredMethods()) {
            assertEquals(0, method.getModifiers() & Modifier.PUBLIC, method.toString());
        }
    }

    private void set(String name, Function<Object, Object> function) throws Exception {
        Field field = hook.getDeclaredField(name);
        field.setAccessible(true);
        field.set(null, function);
    }
}
