package dev.mtls.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLoaderReuseTest {
    @TempDir
    Path dir;

    @Test
    void profileOfferedForReuseIsTakenAsItIsAndTheOthersAreLoaded() throws Exception {
        TestCertificate client = TestPki.rootCa("CA").create().issue("client").clientAuth().create();
        client.writeChain(dir.resolve("chain.pem"));
        client.writePkcs8Key(dir.resolve("client.key"));
        Path file = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: kept\n    hosts: [kept.internal]\n    identity: {certificate: chain.pem, key: client.key}\n"
                + "  - name: fresh\n    hosts: [fresh.internal]\n    identity: {certificate: chain.pem, key: client.key}\n");
        ProfileLoader loader = ProfileLoader.system();
        LoadResult first = loader.load(file, null, 1);
        LoadedProfile kept = first.snapshot().profile("kept").orElseThrow();

        LoadResult second = loader.load(file, null, 2,
                (definition, hosts) -> definition.name().equals("kept") ? kept : null);

        assertSame(kept, second.snapshot().profile("kept").orElseThrow());
        assertNotSame(first.snapshot().profile("fresh").orElseThrow(), second.snapshot().profile("fresh").orElseThrow());
        assertTrue(second.snapshot().profile("fresh").orElseThrow().isUsable());
        assertTrue(second.warnings().stream().noneMatch(warning -> "kept".equals(warning.profile())));
        assertEquals(2, second.snapshot().generation());
    }
}
