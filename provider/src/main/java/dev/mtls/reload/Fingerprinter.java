package dev.mtls.reload;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
 */
final class Fingerprinter {
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);
    static final int FULL_PASS_EVERY = 10;
    /** Past the largest file the loader accepts, the rest cannot matter. */
    private static final long MAX_HASHED_BYTES = 16L * 1024 * 1024 + 1;
    private static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime,isRegularFile";

    private final Clock clock;
    private final Map<Path, Digest> digests = new HashMap<>();
    private final byte[] buffer = new byte[8192];
    private final MessageDigest sha256;
    private boolean unixView = true;
    private int ticks;
    private long hashed;

    Fingerprinter(Clock clock) {
        this.clock = clock;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
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
        Map<Path, String> states = new LinkedHashMap<>();
        for (Path file : files) {
            states.put(file, state(file, full));
        }
        return new ContentFingerprint(states);
    }

    private String state(Path file, boolean full) {
        FileStamp stamp;
        try {
            stamp = stamp(file);
        } catch (NoSuchFileException e) {
            digests.remove(file);
            return "missing";
        } catch (IOException e) {
            digests.remove(file);
            return "unreadable: " + e.getClass().getSimpleName();
        }
        if (!stamp.regularFile) {
            // A FIFO or device would block or never end; the loader refuses it anyway.
            return "not a regular file";
        }
        Digest known = digests.get(file);
        if (!full && known != null && known.stamp.equals(stamp)
                && stamp.changed.toMillis() < known.takenAtMillis - RACY_WINDOW.toMillis()) {
            return known.value;
        }
        long takenAt = clock.millis();
        String value;
        try {
            value = hash(file);
        } catch (AccessDeniedException e) {
            digests.remove(file);
            return "unreadable: permission denied";
        } catch (IOException e) {
            digests.remove(file);
            return "unreadable: " + e.getClass().getSimpleName();
        }
        digests.put(file, new Digest(stamp, value, takenAt));
        hashed++;
        return value;
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

    private String hash(Path file) throws IOException {
        sha256.reset();
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
