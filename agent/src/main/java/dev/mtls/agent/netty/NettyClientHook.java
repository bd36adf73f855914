package dev.mtls.agent.netty;

import dev.mtls.log.MtlsLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs the hook on Netty's {@code SslContextBuilder#build} (docs/CLIENTS.md, the Netty rows): a
 * transformer that instruments each builder class as it loads. Nothing of Netty is looked for at
 * start-up; after an attach, builder classes already loaded are retransformed, but contexts they
 * already built keep the managers they have.
 *
 * <p>Never throws: the other two hooks are not affected by anything here.
 */
public final class NettyClientHook {
    private NettyClientHook() {
    }

    public static void install(Instrumentation instrumentation, boolean attached) {
        try {
            SslContextBuilderTransformer transformer = new SslContextBuilderTransformer(new ErrorLog());
            instrumentation.addTransformer(transformer, true);
            if (attached) {
                retransformLoaded(instrumentation);
            }
        } catch (Throwable t) {
            new ErrorLog().accept("cannot hook Netty's SslContextBuilder: " + t
                    + "; Netty clients on the OpenSSL engine get no identity");
        }
    }

    private static void retransformLoaded(Instrumentation instrumentation) throws Exception {
        List<Class<?>> builders = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (SslContextBuilderTransformer.matches(type.getName().replace('.', '/'))
                    && instrumentation.isModifiableClass(type)) {
                builders.add(type);
            }
        }
        if (!builders.isEmpty()) {
            instrumentation.retransformClasses(builders.toArray(new Class<?>[0]));
        }
    }

    /** Error level, which every {@code log} setting shows. A class, not a lambda: see the SSLContext hook. */
    private static final class ErrorLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            MtlsLog.error(message);
        }
    }
}
