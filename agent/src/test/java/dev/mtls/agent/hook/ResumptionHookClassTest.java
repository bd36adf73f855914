package dev.mtls.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same generated code, loaded under a test name outside java.base. */
class ResumptionHookClassTest {
    private static final String TEST_NAME = "dev.mtls.agent.hook.generated.MtlsResumptionHook";

    private Class<?> hook;
    private Method resumable;

    @BeforeEach
    void defineHook() throws Exception {
        byte[] bytes = ResumptionHookClass.bytes(TEST_NAME.replace('.', '/'));
        hook = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(TEST_NAME, bytes, 0, bytes.length);
            }
        }.define();
        resumable = hook.getDeclaredMethod(ResumptionHookClass.METHOD, Object.class);
        resumable.setAccessible(true);
    }

    @Test
    void passesTheSessionThroughWhileNoFilterIsSet() throws Exception {
        Object session = new Object();
        assertSame(session, resumable.invoke(null, session));
        assertNull(resumable.invoke(null, (Object) null));
    }

    @Test
    void returnsWhatTheFilterReturnsNullMeaningDoNotResume() throws Exception {
        Object refused = new Object();
        Object kept = new Object();
        setFilter(session -> session == refused ? null : session);
        assertNull(resumable.invoke(null, refused));
        assertSame(kept, resumable.invoke(null, kept));
    }

    @Test
    void passesTheSessionThroughWhenTheFilterThrows() throws Exception {
        setFilter(session -> {
            throw new IllegalStateException("a bug of ours");
        });
        Object session = new Object();
        assertSame(session, resumable.invoke(null, session));
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

    private void setFilter(Function<Object, Object> filter) throws Exception {
        Field field = hook.getDeclaredField(ResumptionHookClass.FILTER);
        field.setAccessible(true);
        field.set(null, filter);
    }
}
