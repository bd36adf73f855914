package dev.mtls.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void keepsEachRowOnOneLineWhateverItsCellsHold() {
        TextTable table = new TextTable("PROFILE", "SUBJECT");
        table.add("p", "CN=a\nerror: forged\u001b[2J");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(String.join(System.lineSeparator(), "PROFILE  SUBJECT", "p        CN=a\\nerror: forged\\u001b[2J",
                ""), bytes.toString(StandardCharsets.UTF_8));
    }
}
