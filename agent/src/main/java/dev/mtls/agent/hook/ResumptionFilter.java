package dev.mtls.agent.hook;

import dev.mtls.sessions.ClientSessionSweeper;
import dev.mtls.snapshot.ActiveProfiles;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * What the hook in SunJSSE's client session cache calls, through a JDK type: the session to
 * resume, or null when {@link ClientSessionSweeper#mayResume} refuses it (the handshake is then
 * a full one, and the key manager chooses the certificate afresh).
 */
final class ResumptionFilter implements Function<Object, Object> {
    private final ClientSessionSweeper sweeper;

    ResumptionFilter(ClientSessionSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public Object apply(Object session) {
        if (session instanceof SSLSession && !sweeper.mayResume((SSLSession) session, ActiveProfiles.current())) {
            return null;
        }
        return session;
    }
}
