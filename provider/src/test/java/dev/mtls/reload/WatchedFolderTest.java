package dev.mtls.reload;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the reload tests share: a folder with a profile file, a watcher on it whose checks the test
 * runs itself ({@code watcher.reloadNow()}, no timer), and what it published and logged. A test
 * with more set-up adds an {@code @BeforeEach} of its own, which runs after {@link #watch()}
 * (the watcher reads nothing until its first check, so files may be written afterwards).
 */
abstract class WatchedFolderTest {
    @TempDir
    Path dir;
    ProfileFiles files;
    final RecordingTarget target = new RecordingTarget();
    final RecordingLog log = new RecordingLog();
    ProfileWatcher watcher;

    @BeforeEach
    void watch() {
        files = new ProfileFiles(dir);
        watcher = ProfileWatcher.create(settings());
    }

    /** The watcher's settings: no timer, the recording target and log; a test may add to them. */
    WatchSettings settings() {
        return WatchSettings.of(files.profiles).reloadOption(Duration.ZERO).target(target).log(log);
    }

    @AfterEach
    void close() {
        watcher.close();
    }
}
