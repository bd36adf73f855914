package dev.mtls.reload;

import dev.mtls.profile.ProfileFileException;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import java.nio.file.Path;

/** Loads a complete snapshot from the profile file; {@link ProfileLoader#load} in production. */
@FunctionalInterface
public interface SnapshotLoader {
    /** @param reuse profiles whose material need not be read again; may be ignored */
    LoadResult load(Path file, Path base, long generation, ProfileLoader.Reuse reuse) throws ProfileFileException;

    static SnapshotLoader of(ProfileLoader loader) {
        return new Adapter(loader);
    }

    /** A class rather than a method reference: see {@link ReloadLog.ToMtlsLog}. */
    final class Adapter implements SnapshotLoader {
        private final ProfileLoader loader;

        Adapter(ProfileLoader loader) {
            this.loader = loader;
        }

        @Override
        public LoadResult load(Path file, Path base, long generation, ProfileLoader.Reuse reuse)
                throws ProfileFileException {
            return loader.load(file, base, generation, reuse);
        }
    }
}
