package dev.mtls.files;

import java.io.IOException;

/**
 * A file {@link BoundedReads} would not or could not read: not a regular file, or a read that did
 * not finish in time. The message is the reason only, for the caller to put after the file's name
 * (e.g. "not a regular file (a FIFO or a device?)"); it never holds any of the file's content.
 */
public final class UnreadableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreadableFileException(String reason) {
        super(reason);
    }
}
