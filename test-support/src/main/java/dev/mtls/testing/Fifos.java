package dev.mtls.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Named pipes for tests: a file whose open() blocks until someone opens the other end. */
public final class Fifos {
    private Fifos() {
    }

    /** Makes a FIFO at {@code path} with mkfifo. */
    public static Path create(Path path) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !Files.exists(path)) {
            throw new IOException("mkfifo " + path + " failed: " + output);
        }
        return path;
    }

    /**
     * Lets a reader blocked on the FIFO go: opens the writing end (which does not block while a
     * reader waits) and closes it at once, so the reader sees an empty file.
     */
    public static void release(Path fifo) throws IOException {
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.flush();
        }
    }
}
