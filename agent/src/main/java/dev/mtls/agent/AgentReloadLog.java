package dev.mtls.agent;

import dev.mtls.reload.ReloadLog;
import java.lang.System.Logger.Level;

/** The watcher's lines go through the agent's log, so the {@code log} option applies to them too. */
final class AgentReloadLog implements ReloadLog {
    @Override
    public void log(Level level, String message) {
        AgentLog.log(level, message);
    }
}
