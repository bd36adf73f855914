package dev.mtls.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.Fifos;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that blocks never captures the reader. The FIFOs here stand for any file whose open()
 * or read() blocks: the tests that reach the time bound open them directly, skipping the
 * regular-file check that refuses them up front, as a hung network mount would get past it.
 */
@Timeout(60) // a guard against the hang under test, not a timing assertion
class BoundedReadsTest {
    @TempDir
    Path dir;

    private final BoundedReads reads = new BoundedReads(Duration.ofMillis(300), 2);

    @Test
    void readsTheHeadOfARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "hello world");

        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), reads.head(file, 5));
    }

    @Test
    void reportsAMissingFileAsSuch() {
        assertThrows(NoSuchFileException.class, () -> reads.head(dir.resolve("missing"), 10));
    }

    @Test
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = Fifos.create(dir.resolve("fifo"));

        UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> reads.head(fifo, 10));

        assertEquals("not a regular file (a FIFO or a device?)", e.getMessage());
        assertEquals(0, reads.stuckWorkers());
    }

    @Test
    void refusesADirectory() {
        UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> reads.head(dir, 10));

        assertEquals("not a regular file (a directory)", e.getMessage());
    }

    @Test
    void abandonsAReadThatDoesNotFinishAndSaysSo() throws Exception {
        Path fifo = Fifos.create(dir.resolve("stuck"));

        UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> reads.run(fifo, OPEN));

        assertEquals("not read: reading it did not finish within 300 ms (a FIFO or a hung network mount?);"
                + " it is not read again until that read returns", e.getMessage());
        assertTrue(reads.isStuck(fifo));
        Fifos.release(fifo);
    }

    @Test
    void laterReadsOfAStuckFileFailAtOnceWithTheSameMessageAndNoNewThread() throws Exception {
        Path fifo = Fifos.create(dir.resolve("stuck"));
        String first = assertThrows(UnreadableFileException.class, () -> reads.run(fifo, OPEN)).getMessage();
        CountingOpen counting = new CountingOpen();

        String second = assertThrows(UnreadableFileException.class, () -> reads.run(fifo, counting)).getMessage();

        assertEquals(first, second);
        assertEquals(0, counting.calls, "the stuck file was touched again");
        assertEquals(1, reads.stuckWorkers());
        Fifos.release(fifo);
    }

    @Test
    void aFileIsReadAgainOnceItsStuckReadReturns() throws Exception {
        Path fifo = Fifos.create(dir.resolve("stuck"));
        assertThrows(UnreadableFileException.class, () -> reads.run(fifo, OPEN));

        Fifos.release(fifo);
        awaitNotStuck(fifo);

        assertEquals("read", reads.run(fifo, new Constant()));
        assertEquals(0, reads.stuckWorkers());
    }

    @Test
    void stuckWorkersAreCappedAndEveryReadFailsAtOnceUntilOneReturns() throws Exception {
        Path one = Fifos.create(dir.resolve("one"));
        Path two = Fifos.create(dir.resolve("two"));
        Path healthy = Files.writeString(dir.resolve("healthy.txt"), "fine");
        assertThrows(UnreadableFileException.class, () -> reads.run(one, OPEN));
        assertThrows(UnreadableFileException.class, () -> reads.run(two, OPEN));

        UnreadableFileException capped = assertThrows(UnreadableFileException.class, () -> reads.head(healthy, 10));

        assertEquals("not read: 2 earlier reads are still stuck (a hung network mount?); reading resumes when"
                + " one of them returns", capped.getMessage());
        assertEquals(2, reads.stuckWorkers());
        Fifos.release(one);
        awaitNotStuck(one);
        assertArrayEquals("fine".getBytes(StandardCharsets.UTF_8), reads.head(healthy, 10));
        Fifos.release(two);
    }

    @Test
    void aListGoesOnPastAStuckFile() throws Exception {
        Path before = Files.writeString(dir.resolve("before.txt"), "b");
        Path fifo = Fifos.create(dir.resolve("stuck"));
        Path after = Files.writeString(dir.resolve("after.txt"), "a");

        List<Object> outcomes = reads.each(List.of(before, fifo, after), OPEN);

        assertEquals("b", BoundedReads.value(outcomes.get(0)));
        UnreadableFileException stuck = assertThrows(UnreadableFileException.class,
                () -> BoundedReads.value(outcomes.get(1)));
        assertTrue(stuck.getMessage().startsWith("not read: reading it did not finish"), stuck.getMessage());
        assertEquals("a", BoundedReads.value(outcomes.get(2)));
        Fifos.release(fifo);
    }

    private void awaitNotStuck(Path file) throws InterruptedException {
        while (reads.isStuck(file)) {
            Thread.sleep(10);
        }
    }

    /** Opens and reads the file with no regular-file check: what a hung mount lets through. */
    private static final FileTask<String> OPEN = new FileTask<String>() {
        @Override
        public String apply(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    };

    private static final class CountingOpen implements FileTask<String> {
        volatile int calls;

        @Override
        public String apply(Path file) throws IOException {
            calls++;
            return OPEN.apply(file);
        }
    }

    private static final class Constant implements FileTask<String> {
        @Override
        public String apply(Path file) {
            return "read";
        }
    }
}
