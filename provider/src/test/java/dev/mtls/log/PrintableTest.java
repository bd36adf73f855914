package dev.mtls.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mtls.profile.ProfileError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void escapesLineBreaksTabsAndTerminalEscapes() {
        assertEquals("a\\nerror: forged\\r\\t\\u001b[31m\\u0000\\u007f\\u009b",
                Printable.escape("a\nerror: forged\r\t\u001b[31m\u0000\u007f\u009b"));
    }

    @Test
    void escapesUnicodeSeparatorsAndBidiOverrides() {
        assertEquals("a\\u2028b\\u202ecba\\u2066", Printable.escape("a\u2028b\u202ecba\u2066"));
    }

    @Test
    void leavesPrintableTextBackslashesAndNonAsciiAlone() {
        String text = "C:\\certs\\bücher.example ключ 鍵 🔑";
        assertSame(text, Printable.escape(text));
        assertNull(Printable.escape(null));
    }

    @Test
    void escapingTwiceChangesNothing() {
        String once = Printable.escape("x\ny\u001b");
        assertEquals(once, Printable.escape(once));
    }

    @Test
    void profileErrorsEscapeTheFileTheProfileAndTheMessage() {
        ProfileError error = new ProfileError(Path.of("/tmp/p\n.yaml"), "n\u001b", 3, "host 'a\nerror: x'");
        assertEquals("/tmp/p\\n.yaml:3: profile 'n\\u001b': host 'a\\nerror: x'", error.toString());
    }
}
