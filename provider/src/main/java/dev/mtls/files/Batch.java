package dev.mtls.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One worker's run through a list of files for {@link BoundedReads#each}. The worker and the
 * waiting caller share this object's lock: the worker records which file it is on and since when,
 * and the caller, when that file has taken too long, marks the run abandoned and the file stuck in
 * one step, so that a worker finishing at that very moment either delivers its outcome or releases
 * the file, never neither.
 */
final class Batch<T> implements Runnable {
    private final BoundedReads reads;
    private final List<Path> files;
    private final FileTask<T> task;
    private final Object[] outcomes;
    private int current;
    private long currentStarted;
    private boolean finished;
    private boolean abandoned;
    /** The file this run was abandoned on and that was marked stuck; null if none was. */
    private Path stuckFile;

    /** {@code from} is below the list's size: a run has at least one file. */
    Batch(BoundedReads reads, List<Path> files, FileTask<T> task, Object[] outcomes, int from) {
        this.reads = reads;
        this.files = files;
        this.task = task;
        this.outcomes = outcomes;
        this.current = from;
        // The wait for a worker to start counts against the first file.
        this.currentStarted = System.nanoTime();
    }

    @Override
    public void run() {
        Path file;
        synchronized (this) {
            if (abandoned) {
                // Given up on before it even started (a machine too busy to schedule it): touch nothing.
                releaseStuckFile();
                return;
            }
            file = files.get(current);
            currentStarted = System.nanoTime();
        }
        for (;;) {
            Object outcome = attempt(file);
            // One step under the lock: the outcome, the end of the run, or the next file and its start,
            // so that the caller never sees a file finished but the next one not yet started.
            synchronized (this) {
                if (abandoned) {
                    releaseStuckFile();
                    return;
                }
                outcomes[current++] = outcome;
                if (current == files.size()) {
                    finished = true;
                    notifyAll();
                    return;
                }
                file = files.get(current);
                currentStarted = System.nanoTime();
            }
        }
    }

    /** The abandoned worker's last act: its file may be read again. Called under the lock. */
    private void releaseStuckFile() {
        if (stuckFile != null) {
            reads.release(stuckFile);
        }
    }

    private Object attempt(Path file) {
        String stuck = reads.stuckMessage(file);
        if (stuck != null) {
            return failure(new UnreadableFileException(stuck));
        }
        try {
            return task.apply(file);
        } catch (Throwable t) {
            return failure(t);
        }
    }

    /**
     * Waits while the worker makes progress; returns the index after the last file with an
     * outcome: the end of the list, or the file after one that got stuck.
     */
    synchronized int awaitOrAbandon(long timeoutNanos) throws InterruptedIOException {
        while (!finished) {
            long left = timeoutNanos - (System.nanoTime() - currentStarted);
            if (left <= 0) {
                abandoned = true;
                stuckFile = files.get(current);
                outcomes[current] = failure(new UnreadableFileException(reads.markStuck(stuckFile)));
                return current + 1;
            }
            try {
                // Woken only when the whole run ends; a run that progresses is looked at once per bound.
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                abandoned = true;
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + files.get(current));
            }
        }
        return files.size();
    }

    static Object failure(Throwable t) {
        return new Failure(t);
    }

    @SuppressWarnings("unchecked")
    static <T> T value(Object outcome) throws IOException {
        if (outcome instanceof Failure) {
            Throwable t = ((Failure) outcome).cause;
            if (t instanceof IOException) {
                throw (IOException) t;
            }
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new IOException(t);
        }
        return (T) outcome;
    }

    /** A failure as an outcome: a value could itself be a Throwable. */
    private static final class Failure {
        final Throwable cause;

        Failure(Throwable cause) {
            this.cause = cause;
        }
    }
}
