package dev.mtls.benchmarks;

import dev.mtls.material.Identity;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.MaterialException;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.reload.ProfileWatcher;
import dev.mtls.reload.ReloadOutcome;
import dev.mtls.reload.WatchSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per profile beyond its key material (target: at most 8 KB). Loads N profiles (default
 * 10,000; each a PEM chain and an EC P-256 key, as ReloadBenchmark's files) twice, measuring the
 * heap in use after full collections each time:
 * <ol>
 *   <li>the agent's whole state for the file: a ProfileWatcher that has loaded it (the snapshot,
 *       host matcher, fingerprints of every watched file, the last-good bookkeeping);
 *   <li>only the key material: every identity again through IdentityLoader, kept in a list.
 * </ol>
 * The difference divided by N is what a profile costs beyond its key and chain. Then every
 * profile's host is looked up once, to show what a cached lookup holds (the cache is bounded at
 * 10,000 hosts per snapshot).
 *
 * <pre>
 * java -XX:+UseSerialGC -XX:SoftRefLRUPolicyMSPerMB=0 -Xmx2g \
 *     -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.ProfileHeapBenchmark [profiles]
 * </pre>
 *
 * {@code SoftRefLRUPolicyMSPerMB=0} makes every collection clear soft references, so the JDK's
 * soft caches (its CertificateFactory keeps up to 750 parsed certificates) neither share objects
 * between the two measurements nor empty at an unpredictable moment in between: what is counted
 * is what the agent holds strongly.
 */
public final class ProfileHeapBenchmark {
    private ProfileHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        ManyProfiles files = ManyProfiles.create(count);
        System.out.printf("heap per profile: %d profiles (PEM chain + EC P-256 key each), %s%n", count,
                System.getProperty("java.vm.version"));

        // Every one-time cost (classes' static state, security providers) paid before measuring.
        warmUp(files, count);
        long before = usedAfterGc();
        ReloadBenchmark.PrivateTarget target = new ReloadBenchmark.PrivateTarget();
        ProfileWatcher watcher = ProfileWatcher.create(WatchSettings.of(files.profileFile)
                .reloadOption(Duration.ZERO).target(target).log((level, message) -> { }));
        ReloadOutcome outcome = watcher.reloadNow();
        if (outcome.added().size() != count) {
            throw new IllegalStateException("not every profile loaded: " + outcome.summary());
        }
        long loaded = usedAfterGc() - before;

        warmUp(files, count);
        long beforeIdentities = usedAfterGc();
        List<Identity> identities = load(files.dir.resolve("..data"), count);
        long keyMaterial = usedAfterGc() - beforeIdentities;
        identities.clear();

        long beforeLookups = usedAfterGc();
        int lookups = Math.min(count, 10_000);
        for (int i = 0; i < lookups; i++) {
            if (target.current().match("p" + i + ".internal", 443).isEmpty()) {
                throw new IllegalStateException("p" + i + ".internal has no profile");
            }
        }
        long cached = usedAfterGc() - beforeLookups;

        System.out.printf("  key material alone (identities):  %,d bytes = %,.0f bytes per profile%n", keyMaterial,
                (double) keyMaterial / count);
        System.out.printf("  agent state (watcher + snapshot): %,d bytes = %,.0f bytes per profile%n", loaded,
                (double) loaded / count);
        System.out.printf("  beyond the key material:          %,.0f bytes per profile (target 8,192)%n",
                (double) (loaded - keyMaterial) / count);
        System.out.printf("  host lookup cache after %,d hosts: %,d bytes = %,.0f bytes per cached host%n", lookups,
                cached, (double) cached / lookups);
        watcher.close();
    }

    private static List<Identity> load(Path folder, int count) throws MaterialException {
        List<Identity> identities = new ArrayList<>();
        IdentityLoader loader = new IdentityLoader();
        for (int i = 0; i < count; i++) {
            identities.add(loader.load(IdentitySpec.pem(folder.resolve("p" + i + ".pem"),
                    folder.resolve("p" + i + ".key"), null)));
        }
        return identities;
    }

    /** Loads (and drops) 1,000 identities from the version ..data does not point at. */
    private static void warmUp(ManyProfiles files, int count) throws MaterialException {
        load(files.dir.resolve("v2"), Math.min(count, 1_000));
    }

    /** Heap in use after collections stop freeing anything: what is reachable, not what is garbage. */
    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
