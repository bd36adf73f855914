package dev.mtls.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content changes are always seen; unchanged files are not read again on every tick. */
class FingerprinterTest {
    /** A clock an hour ahead: every file on disk looks settled, outside the racy window. */
    static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    @TempDir
    Path dir;

    @Test
    void settledUnchangedFileIsNotReadAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pem"), "one");
        Fingerprinter fingerprinter = new Fingerprinter(LATER);
        ContentFingerprint first = fingerprinter.take(List.of(file));

        ContentFingerprint second = fingerprinter.take(List.of(file));

        assertEquals(first, second);
        assertEquals(1, fingerprinter.filesHashed());
    }

    @Test
    void sameSizeEditInPlaceWithTheOldModificationTimePutBackIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pem"), "one");
        FileTime modified = Files.getLastModifiedTime(file);
        Fingerprinter fingerprinter = new Fingerprinter(LATER);
        ContentFingerprint before = fingerprinter.take(List.of(file));

        Files.writeString(file, "two");
        Files.setLastModifiedTime(file, modified);

        assertNotEquals(before, fingerprinter.take(List.of(file)));
    }

    @Test
    void fileChangedJustBeforeItWasHashedIsHashedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pem"), "one");
        Fingerprinter fingerprinter = new Fingerprinter(Clock.systemUTC());
        fingerprinter.take(List.of(file));

        fingerprinter.take(List.of(file));

        // Within the racy window a write in the same timestamp tick would be invisible to a stat.
        assertEquals(2, fingerprinter.filesHashed());
    }

    @Test
    void swappedSymlinkReadsAsTheNewContent() throws Exception {
        Path v1 = Files.writeString(dir.resolve("v1.pem"), "one");
        Files.writeString(dir.resolve("v2.pem"), "two");
        Path link = Files.createSymbolicLink(dir.resolve("tls.crt"), v1.getFileName());
        Fingerprinter fingerprinter = new Fingerprinter(LATER);
        ContentFingerprint before = fingerprinter.take(List.of(link));

        Path next = Files.createSymbolicLink(dir.resolve("tls.crt.tmp"), Path.of("v2.pem"));
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE);

        assertNotEquals(before, fingerprinter.take(List.of(link)));
    }

    @Test
    void missingFileThatAppearsIsAChange() throws Exception {
        Path file = dir.resolve("later.pem");
        Fingerprinter fingerprinter = new Fingerprinter(LATER);
        ContentFingerprint before = fingerprinter.take(List.of(file));
        assertEquals("missing", before.state(file));

        Files.writeString(file, "here");

        assertNotEquals(before, fingerprinter.take(List.of(file)));
    }

    @Test
    void everyTenthTickReadsEveryFileWhateverItsAttributesSay() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pem"), "one");
        Fingerprinter fingerprinter = new Fingerprinter(LATER);

        for (int tick = 0; tick < Fingerprinter.FULL_PASS_EVERY + 1; tick++) {
            fingerprinter.tick(List.of(file));
        }

        assertEquals(2, fingerprinter.filesHashed());
    }

    @Test
    void touchingAFileWithoutChangingItIsNoChange() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pem"), "one");
        Fingerprinter fingerprinter = new Fingerprinter(LATER);
        ContentFingerprint before = fingerprinter.take(List.of(file));

        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        assertEquals(before, fingerprinter.take(List.of(file)));
        assertEquals(2, fingerprinter.filesHashed());
    }
}
