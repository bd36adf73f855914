package dev.mtls.reload;

import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A file's attributes as the fingerprint compares them: which file a path leads to now (device
 * and inode), its size, and when it last changed. Equal stamps mean the content is unchanged,
 * within the limits {@link Fingerprinter} explains.
 */
final class FileStamp {
    final Object identity;
    final long size;
    final FileTime modified;
    /** Null where the platform does not report it. */
    final FileTime statusChanged;
    final boolean regularFile;
    /** The later of the two times: a change after it would have moved one of them. */
    final FileTime changed;

    FileStamp(Object identity, long size, FileTime modified, FileTime statusChanged, boolean regularFile) {
        this.identity = identity;
        this.size = size;
        this.modified = modified;
        this.statusChanged = statusChanged;
        this.regularFile = regularFile;
        this.changed = statusChanged != null && statusChanged.compareTo(modified) > 0 ? statusChanged : modified;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FileStamp)) {
            return false;
        }
        FileStamp that = (FileStamp) other;
        return size == that.size && regularFile == that.regularFile && Objects.equals(identity, that.identity)
                && modified.equals(that.modified) && Objects.equals(statusChanged, that.statusChanged);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, size, modified);
    }
}
