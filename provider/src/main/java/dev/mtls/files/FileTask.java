package dev.mtls.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link BoundedReads} does with one file, on its worker thread: every stat, open and read
 * of the file belongs in here, since on a hung network mount any of them can block for good.
 * It must not touch state the caller owns: once abandoned it may still finish much later.
 */
public interface FileTask<T> {
    T apply(Path file) throws IOException;
}
