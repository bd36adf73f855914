package dev.mtls.material;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.UnreadableFileException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a key-material file whole, with the operator-facing messages for the ways that fails. */
final class MaterialFile {
    /**
     * Far above any real keystore or CA bundle (the JDK's cacerts is ~200 KB); a profile that
     * points at a huge file by mistake must not exhaust the host application's heap.
     */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private MaterialFile() {
    }

    static byte[] read(Path file) throws MaterialException {
        try {
            // Bounded in time too, and refuses a FIFO or a device (say /dev/zero): they would block
            // or never end. Follows symbolic links: Kubernetes mounts Secrets as links into ..data.
            byte[] bytes = BoundedReads.shared().head(file, MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new MaterialException(file + ": file too large for key material (over "
                        + MAX_BYTES / (1024 * 1024) + " MiB)");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new MaterialException(file + ": missing file", e);
        } catch (AccessDeniedException e) {
            throw new MaterialException(file + ": unreadable file (permission denied)", e);
        } catch (UnreadableFileException e) {
            throw new MaterialException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MaterialException(file + ": unreadable file (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
