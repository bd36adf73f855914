package dev.mtls.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads files on daemon worker threads, so that a file that blocks -- a FIFO nobody writes to, a
 * hung network mount, where even {@code stat()} can block for good -- never captures the caller:
 * the reload thread, an application's handshake thread, the JVM's attach listener or the CLI.
 *
 * <p>A file must be a regular file; anything else is refused up front (that check runs on the
 * worker too, as it can block as well). A file whose stat, open or read has not finished after
 * {@link #TIMEOUT} is abandoned: the caller gets an {@link UnreadableFileException} naming the
 * time, and while that read is still stuck every later read of the same file fails at once with
 * the same message (so a check that touches it again does not wait again, and a log that
 * de-duplicates messages says it once); once the stuck read returns, the file is read normally
 * again. A stuck worker cannot be stopped (a blocked {@code open()} ignores interrupts), so at most
 * {@link #MAX_STUCK} of them may exist: past that every read fails at once until one returns.
 *
 * <p>The normal path costs one hand-over to a pooled thread per call; {@link #each} reads a whole
 * list of files on one worker, which is what the reload's fingerprint of thousands of files uses.
 */
public final class BoundedReads {
    /** Long enough for a 16 MiB keystore on a slow network mount, short enough not to look hung. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Stuck worker threads cannot be reclaimed; this bounds what a dead mount can cost. */
    public static final int MAX_STUCK = 4;
    public static final String THREAD_NAME = "mtls-agent-file-read";

    static final String NOT_REGULAR = "not a regular file (a FIFO or a device?)";
    static final String DIRECTORY = "not a regular file (a directory)";

    private static final BoundedReads SHARED = new BoundedReads(TIMEOUT, MAX_STUCK);

    private final long timeoutNanos;
    private final String stuckReason;
    private final int maxStuck;
    private final ThreadPoolExecutor workers;
    /** Absolute path of each file whose read is stuck now, with the message its readers get. */
    private final Map<Path, String> stuck = new ConcurrentHashMap<>();
    private final AtomicInteger stuckWorkers = new AtomicInteger();

    BoundedReads(Duration timeout, int maxStuck) {
        this.timeoutNanos = timeout.toNanos();
        this.maxStuck = maxStuck;
        this.stuckReason = "not read: reading it did not finish within " + describe(timeout)
                + " (a FIFO or a hung network mount?); it is not read again until that read returns";
        // Threads only while in use (idle ones end after a minute): at most one per concurrent
        // caller plus the stuck ones, which MAX_STUCK bounds.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<Runnable>(), new DaemonThreads(THREAD_NAME));
    }

    /** The instance every reader in the agent shares, so that the bounds hold for the whole JVM. */
    public static BoundedReads shared() {
        return SHARED;
    }

    /**
     * Up to {@code maxBytes} bytes from the start of a regular file: ask for one byte more than a
     * caller's limit to tell a file that is too large.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws java.nio.file.AccessDeniedException when it may not be read
     * @throws UnreadableFileException when it is not a regular file or its read is stuck
     */
    public byte[] head(Path file, int maxBytes) throws IOException {
        return run(file, new Head(maxBytes));
    }

    /** Runs {@code task} on {@code file} within the time bound. */
    public <T> T run(Path file, FileTask<T> task) throws IOException {
        Object outcome = each(Collections.singletonList(file), task).get(0);
        return Batch.<T>value(outcome);
    }

    /**
     * Runs {@code task} on each file in turn on one worker, each within the time bound; a stuck
     * file is abandoned and the rest continue on a fresh worker. The outcome of each file is its
     * value or its failure: pass it to {@link #value(Object)}.
     */
    public <T> List<Object> each(List<Path> files, FileTask<T> task) throws InterruptedIOException {
        Object[] outcomes = new Object[files.size()];
        int next = 0;
        while (next < files.size()) {
            if (stuckWorkers.get() >= maxStuck) {
                fillTooManyStuck(outcomes, next);
                break;
            }
            Batch<T> batch = new Batch<>(this, files, task, outcomes, next);
            try {
                workers.execute(batch);
            } catch (RuntimeException | OutOfMemoryError e) {
                // No thread to be had: reading here could capture the caller, so do not read.
                fill(outcomes, next, new UnreadableFileException("not read: no thread to read it on (" + e + ")"));
                break;
            }
            next = batch.awaitOrAbandon(timeoutNanos);
        }
        List<Object> result = new ArrayList<>(outcomes.length);
        Collections.addAll(result, outcomes);
        return result;
    }

    /** A file's value from {@link #each}, or its failure thrown. */
    public static <T> T value(Object outcome) throws IOException {
        return Batch.value(outcome);
    }

    /** Whether a read of this file is stuck now; for tests and the status of a check. */
    public boolean isStuck(Path file) {
        return !stuck.isEmpty() && stuck.containsKey(key(file));
    }

    int stuckWorkers() {
        return stuckWorkers.get();
    }

    /** The message for a file whose read is stuck now, or null: checked before each file. */
    String stuckMessage(Path file) {
        return stuck.isEmpty() ? null : stuck.get(key(file));
    }

    /** Called by the caller, under the batch's lock, when it gives up on a file. */
    String markStuck(Path file) {
        stuckWorkers.incrementAndGet();
        stuck.put(key(file), stuckReason);
        return stuckReason;
    }

    /** Called by an abandoned worker when its read finally returned. */
    void release(Path file) {
        stuck.remove(key(file));
        stuckWorkers.decrementAndGet();
    }

    private void fillTooManyStuck(Object[] outcomes, int from) {
        fill(outcomes, from, new UnreadableFileException("not read: " + maxStuck + " earlier reads are still"
                + " stuck (a hung network mount?); reading resumes when one of them returns"));
    }

    private static void fill(Object[] outcomes, int from, IOException failure) {
        for (int i = from; i < outcomes.length; i++) {
            outcomes[i] = Batch.failure(failure);
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.getSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** The head of a regular file; the regular-file check runs here, as a stat can hang too. */
    private static final class Head implements FileTask<byte[]> {
        private final int maxBytes;

        Head(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public byte[] apply(Path file) throws IOException {
            requireRegularFile(file);
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(maxBytes);
            }
        }
    }

    /**
     * Refuses what is not a regular file (following symbolic links, as Kubernetes mounts Secrets
     * as links): a FIFO or a device would block or never end. For use inside a {@link FileTask}.
     */
    public static BasicFileAttributes requireRegularFile(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new UnreadableFileException(DIRECTORY);
        }
        if (!attributes.isRegularFile()) {
            throw new UnreadableFileException(NOT_REGULAR);
        }
        return attributes;
    }
}
