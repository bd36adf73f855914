package dev.mtls.reload;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.FileTask;
import dev.mtls.files.UnreadableFileException;
import dev.mtls.material.Pkcs11Tokens;
import dev.mtls.profile.Pkcs11Key;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes {@link ContentFingerprint}s: a SHA-256 of each file's content, read through whatever
 * symbolic links lead to it at that moment (every stat and open follows links afresh, so a
 * Kubernetes {@code ..data} swap shows as a different file).
 *
 * <p>Hashing thousands of files every tick is too slow, so a file's digest is reused while its
 * attributes (device and inode of the link target, size, modification and change time) are
 * unchanged. Why that is safe: replacing the file or swapping a link gives another inode; writing
 * it in place sets its mtime and ctime to the time of the write; and ctime cannot be set back by
 * {@code touch -d} or {@code cp -p}. The one gap is a write in the same timestamp tick as our
 * read, so (as git does for its index) a digest is trusted only if the file had last changed
 * {@link #RACY_WINDOW} before the digest was taken; a younger file is hashed again. Every
 * {@link #FULL_PASS_EVERY}th tick hashes everything regardless, for file systems whose attributes
 * cannot be trusted (no inode, no ctime, network caches).
 *
 * <p>Every stat and read runs through {@link BoundedReads}, one worker for the whole list: a file
 * whose stat or read hangs (a hung network mount) shows as stuck, which differs from its last
 * state, so the check loads and the loader reports it; the check itself is never captured.
 */
final class Fingerprinter {
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);
    static final int FULL_PASS_EVERY = 10;
    /** Past the largest file the loader accepts, the rest cannot matter. */
    private static final long MAX_HASHED_BYTES = 16L * 1024 * 1024 + 1;
    private static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime,isRegularFile";

    private final Clock clock;
    private final BoundedReads reads;
    /** Read by the worker (an abandoned one may still be reading it), written by the check. */
    private final Map<Path, Digest> digests = new ConcurrentHashMap<>();
    private volatile boolean unixView = true;
    private int ticks;
    private long hashed;

    Fingerprinter(Clock clock) {
        this(clock, BoundedReads.shared());
    }

    Fingerprinter(Clock clock, BoundedReads reads) {
        this.clock = clock;
        this.reads = reads;
    }

    /** The fingerprint for a tick: every {@link #FULL_PASS_EVERY}th one hashes every file. */
    synchronized ContentFingerprint tick(Collection<Path> files) {
        boolean full = ticks++ % FULL_PASS_EVERY == 0;
        ContentFingerprint fingerprint = take(files, full);
        if (full) {
            // Forget files no longer watched; a full pass has just re-read all that are.
            digests.keySet().retainAll(fingerprint.files());
        }
        return fingerprint;
    }

    /** A fingerprint reusing digests of files whose attributes say they did not change. */
    synchronized ContentFingerprint take(Collection<Path> files) {
        return take(files, false);
    }

    /** Every file hashed, no digest reused: for benchmarks and the periodic full pass. */
    synchronized ContentFingerprint takeFull(Collection<Path> files) {
        return take(files, true);
    }

    /** How many times a file was read and hashed: tells reuse from re-reading in tests. */
    synchronized long filesHashed() {
        return hashed;
    }

    private ContentFingerprint take(Collection<Path> files, boolean full) {
        List<Path> list = new ArrayList<>(files);
        List<Object> outcomes;
        try {
            outcomes = reads.each(list, new Look(this, full));
        } catch (InterruptedIOException e) {
            throw new IllegalStateException("interrupted while fingerprinting the watched files", e);
        }
        Map<Path, String> states = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            states.put(list.get(i), state(list.get(i), outcomes.get(i)));
        }
        return new ContentFingerprint(states);
    }

    /** Applies one file's outcome to the digests, on the check's thread. */
    private String state(Path file, Object outcome) {
        Seen seen;
        try {
            seen = BoundedReads.value(outcome);
        } catch (NoSuchFileException e) {
            digests.remove(file);
            return "missing";
        } catch (AccessDeniedException e) {
            digests.remove(file);
            return "unreadable: permission denied";
        } catch (UnreadableFileException e) {
            digests.remove(file);
            return e.getMessage();
        } catch (IOException e) {
            digests.remove(file);
            return "unreadable: " + e.getClass().getSimpleName();
        }
        if (seen.fresh != null) {
            digests.put(file, seen.fresh);
            hashed++;
            return seen.fresh.value;
        }
        return seen.state;
    }

    /** What the worker found for one file: a state as is, or a digest just taken. */
    private static final class Seen {
        final String state;
        final Digest fresh;

        Seen(String state, Digest fresh) {
            this.state = state;
            this.fresh = fresh;
        }
    }

    /** Runs on the worker: touches the file, reads the digests, changes nothing of the check's. */
    private static final class Look implements FileTask<Seen> {
        private final Fingerprinter owner;
        private final boolean full;

        Look(Fingerprinter owner, boolean full) {
            this.owner = owner;
            this.full = full;
        }

        @Override
        public Seen apply(Path file) throws IOException {
            Pkcs11Key token = TokenSources.token(file);
            if (token != null) {
                // Not a file: what the token holds under the label, read afresh on every tick.
                return new Seen(Pkcs11Tokens.state(token), null);
            }
            FileStamp stamp = owner.stamp(file);
            if (!stamp.regularFile) {
                // A FIFO or device would block or never end; the loader refuses it anyway.
                return new Seen("not a regular file", null);
            }
            Digest known = owner.digests.get(file);
            if (!full && known != null && known.stamp.equals(stamp)
                    && stamp.changed.toMillis() < known.takenAtMillis - RACY_WINDOW.toMillis()) {
                return new Seen(known.value, null);
            }
            long takenAt = owner.clock.millis();
            return new Seen(null, new Digest(stamp, hash(file), takenAt));
        }

        /** Its own digest and buffer per call: an abandoned worker may resume while another hashes. */
        private static String hash(Path file) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            try (InputStream in = Files.newInputStream(file)) {
                int read;
                while (total < MAX_HASHED_BYTES && (read = in.read(buffer)) > 0) {
                    sha256.update(buffer, 0, read);
                    total += read;
                }
            }
            byte[] digest = sha256.digest();
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        }
    }

    private FileStamp stamp(Path file) throws IOException {
        if (unixView) {
            try {
                Map<String, Object> a = Files.readAttributes(file, UNIX_ATTRIBUTES);
                return new FileStamp(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"),
                        (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"),
                        (Boolean) a.get("isRegularFile"));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // Not a Unix file system (Windows): fall back to what every platform has, and the full passes.
                unixView = false;
            }
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime(), null, a.isRegularFile());
    }

    private static final class Digest {
        final FileStamp stamp;
        final String value;
        final long takenAtMillis;

        Digest(FileStamp stamp, String value, long takenAtMillis) {
            this.stamp = stamp;
            this.value = value;
            this.takenAtMillis = takenAtMillis;
        }
    }
}
