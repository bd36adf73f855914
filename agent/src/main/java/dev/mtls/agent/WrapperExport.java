package dev.mtls.agent;

import dev.mtls.log.MtlsLog;
import dev.mtls.material.Pkcs11Tokens;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exports the JDK's PKCS#11 wrapper package ({@code sun.security.pkcs11.wrapper}) to the agent's
 * own module, so that an {@code identity.pkcs11} naming its token by label can list the tokens'
 * labels (SunPKCS11's configuration has no label keyword). Exported, not opened: only its public
 * classes and methods are used. Run by {@link Pkcs11Tokens} before the first lookup by label, never
 * at start.
 */
final class WrapperExport implements Runnable {
    private static final String MODULE = "jdk.crypto.cryptoki";
    private static final String PACKAGE = "sun.security.pkcs11.wrapper";

    private final Instrumentation instrumentation;

    private WrapperExport(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    static void offer(Instrumentation instrumentation) {
        Pkcs11Tokens.exportWrapperWith(new WrapperExport(instrumentation));
    }

    @Override
    public void run() {
        Optional<Module> cryptoki = ModuleLayer.boot().findModule(MODULE);
        if (cryptoki.isEmpty() || !instrumentation.isModifiableModule(cryptoki.get())) {
            // The lookup then reports that the wrapper is out of reach, and how to name the token by slot.
            return;
        }
        try {
            instrumentation.redefineModule(cryptoki.get(), Set.of(),
                    Map.of(PACKAGE, Set.of(Pkcs11Tokens.class.getModule())), Map.of(), Set.of(), Map.of());
        } catch (RuntimeException e) {
            MtlsLog.warn("cannot export " + PACKAGE + " to find PKCS#11 tokens by label: " + e);
        }
    }
}
