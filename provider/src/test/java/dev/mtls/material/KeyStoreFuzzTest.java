package dev.mtls.material;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.fuzzing.ByteEdits;
import dev.mtls.fuzzing.FuzzSecrets;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Secret;
import dev.mtls.profile.TrustSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of keystore reading ({@link KeyStoreReader}, {@link KeyStoreEntries})
 * through {@link IdentityLoader} and {@link TrustLoader}: PKCS12, JKS and JCEKS, named or guessed
 * types, right, wrong and missing passwords, aliases. An input is raw bytes or an edit of a
 * store generated at test time ({@link MaterialTemplates}). Loading may only end in a result or a
 * {@link MaterialException} that names the file and holds no password. See docs/FUZZING.md.
 */
class KeyStoreFuzzTest {
    private static final Path FOLDER = MaterialFuzzing.folder("mtls-fuzz-stores");
    private static final List<byte[]> STORES = MaterialTemplates.keyStores(FOLDER);
    private static final List<String> NAMES = List.of("store", "store.p12", "store.pfx", "store.jks", "store.jceks");
    private static final List<String> TYPES = List.of("PKCS12", "JKS", "JCEKS", " pkcs12 ");

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void loadsOrRefusesWithMaterialException(FuzzedDataProvider data) throws IOException {
        Path file = FOLDER.resolve(data.pickValue(NAMES));
        String type = data.consumeBoolean() ? null
                : data.consumeBoolean() ? data.pickValue(TYPES) : data.consumeString(12);
        Secret storePassword = password(data);
        Secret keyPassword = password(data);
        String alias = data.consumeBoolean() ? null : data.consumeBoolean() ? "client" : data.consumeString(12);
        int choice = data.consumeInt(0, STORES.size());
        byte[] bytes = choice == STORES.size() ? data.consumeRemainingAsBytes()
                : ByteEdits.apply(STORES.get(choice), data);
        Files.write(file, bytes);
        try {
            new IdentityLoader().load(IdentitySpec.keyStore(file, type, storePassword, keyPassword, alias));
        } catch (MaterialException e) {
            MaterialFuzzing.assertOperatorMessage(e, file);
        }
        try {
            new TrustLoader().load(TrustSpec.keyStore(file, type, storePassword, false));
        } catch (MaterialException e) {
            MaterialFuzzing.assertOperatorMessage(e, file);
        }
        Files.delete(file);
    }

    private static Secret password(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0:
                return Secret.of(FuzzSecrets.PASSWORD);
            case 1:
                return null;
            case 2:
                return Secret.empty();
            default:
                return Secret.of(FuzzSecrets.PASSWORD + "x");
        }
    }
}
