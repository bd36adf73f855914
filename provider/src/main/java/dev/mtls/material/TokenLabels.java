package dev.mtls.material;

import static dev.mtls.material.TokenFailure.reason;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a token's slot by its label. SunPKCS11's configuration knows only {@code slot} and
 * {@code slotListIndex}, so the labels are read through the JDK's own PKCS#11 wrapper
 * ({@code C_GetSlotList}, {@code C_GetTokenInfo}), by reflection on its public methods. That
 * wrapper lives in a package the module {@code jdk.crypto.cryptoki} does not export: the agent
 * exports it to itself the first time a token is named by label ({@link #exportWith}), {@code java
 * -jar} (check, probe) through the jar's manifest, and provider-only mode needs {@link #EXPORT_HINT}
 * on the command line (or {@code slot:} instead of {@code token:}). The wrapper keeps one
 * initialised instance per library, the one SunPKCS11 then uses too.
 */
final class TokenLabels {
    static final String WRAPPER = "sun.security.pkcs11.wrapper.PKCS11";
    static final String EXPORT_HINT = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
    /** PKCS#11's CKF_OS_LOCKING_OK, as SunPKCS11 initialises a library. */
    private static final long OS_LOCKING_OK = 0x2L;

    /** The agent's export of the wrapper package, run once before the first lookup. */
    private static Runnable wrapperExport;

    private TokenLabels() {
    }

    static synchronized void exportWith(Runnable export) {
        wrapperExport = export;
    }

    private static synchronized void exportWrapper() {
        Runnable export = wrapperExport;
        wrapperExport = null;
        if (export != null) {
            export.run();
        }
    }

    /** The ID of the slot whose token has this label, read through the JDK's PKCS#11 wrapper. */
    static long slotOf(Path library, String label) throws TokenFailure {
        Method getInstance;
        Object wrapper;
        try {
            exportWrapper();
            Class<?> type = Class.forName(WRAPPER);
            Class<?> argsType = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
            Object args = argsType.getConstructor().newInstance();
            argsType.getField("flags").setLong(args, OS_LOCKING_OK);
            getInstance = type.getMethod("getInstance", String.class, String.class, argsType, boolean.class);
            wrapper = getInstance.invoke(null, library.toString(), "C_GetFunctionList", args, false);
            long[] slots = (long[]) type.getMethod("C_GetSlotList", boolean.class).invoke(wrapper, true);
            Method tokenInfo = type.getMethod("C_GetTokenInfo", long.class);
            List<String> seen = new ArrayList<>();
            List<Long> matching = new ArrayList<>();
            for (long slot : slots) {
                Object info = tokenInfo.invoke(wrapper, slot);
                String found = new String((char[]) info.getClass().getField("label").get(info)).trim();
                seen.add("'" + found + "'");
                if (found.equals(label)) {
                    matching.add(slot);
                }
            }
            if (matching.size() == 1) {
                return matching.get(0);
            }
            if (matching.isEmpty()) {
                throw new TokenFailure("no token labelled '" + label + "' (present: "
                        + (seen.isEmpty() ? "none" : String.join(", ", seen)) + ")");
            }
            throw new TokenFailure("several tokens are labelled '" + label + "' (slots " + matching
                    + "); name one with slot: instead of token:");
        } catch (IllegalAccessException | ClassNotFoundException e) {
            throw new TokenFailure("finding a token by its label needs the JDK's PKCS#11 wrapper, which this JVM"
                    + " does not export to mtls-agent: run with the agent, add " + EXPORT_HINT
                    + ", or name the token with slot: (its ID)");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw new TokenFailure("the PKCS#11 library " + library + " does not load (" + reason(cause) + ")");
            }
            throw new TokenFailure("cannot list the tokens of " + library + " (" + reason(cause) + ")");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new TokenFailure("cannot list the tokens of " + library + " (" + reason(e) + ")");
        }
    }
}
