package dev.mtls.listen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A scan must not flood the log: refusals are logged once per client, and only for the first few clients. */
class RefusalsTest {
    @Test
    void logsEachClientOnceAndStopsAfterTheFirstTwentyWhileCountingAll() {
        int lines = 0;
        for (int round = 0; round < 3; round++) {
            for (int client = 0; client < 100; client++) {
                if (Refusals.refuse("scanned", "untrusted", "10.0.0." + client, "listener 'scanned' refused")) {
                    lines++;
                }
            }
        }
        assertThat(lines).isEqualTo(Refusals.CLIENTS_LOGGED + 1);
        assertThat(ListenerCounts.refusedCounts("scanned")).containsEntry("untrusted", 300L);
    }

    @Test
    void anotherReasonIsLoggedOnItsOwn() {
        assertThat(Refusals.refuse("two-reasons", "untrusted", "10.0.0.1", "untrusted")).isTrue();
        assertThat(Refusals.refuse("two-reasons", "not-allowed", "10.0.0.1", "not allowed")).isTrue();
        assertThat(Refusals.refuse("two-reasons", "not-allowed", "10.0.0.1", "not allowed")).isFalse();
    }
}
