package dev.mtls.agent;

import dev.mtls.jsse.MtlsProvider;
import dev.mtls.log.MtlsLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Lists the JSSE provider just before SunJSSE at the moment the JDK starts building its provider
 * list, not in premain: it watches for {@code sun.security.jca.ProviderList} to load (the JDK
 * loads it just before it reads the {@code security.provider.N} properties to build the list) and
 * rewrites those properties then. Why not in premain: initialising {@code java.security.Security}
 * and changing a security property (which starts the JDK's security event logging) cost a JVM that
 * never uses security ~20 ms of CPU. Changes no class: the transformer only uses the moment.
 */
final class ProviderListing implements ClassFileTransformer {
    static final String PROVIDER_LIST = "sun/security/jca/ProviderList";

    private volatile boolean done;

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // Called for every class the JVM loads from now on: keep the miss cheap.
        if (done || loader != null || classBeingRedefined != null || !PROVIDER_LIST.equals(className)) {
            return null;
        }
        done = true;
        try {
            if (!MtlsProvider.listBeforeSunJsse()) {
                MtlsLog.error(AgentInstaller.NO_SUN_JSSE);
            }
        } catch (RuntimeException | LinkageError e) {
            MtlsLog.error("cannot install the JSSE provider: " + e + "; only SSLContext#init is hooked");
        }
        return null;
    }
}
