package dev.mtls.material;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.mtls.fuzzing.ByteEdits;
import dev.mtls.fuzzing.FuzzSecrets;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Valid key-material files made at test time (never committed: they hold private keys), for the
 * fuzz tests to start from. A fuzz input picks one and edits it; the committed corpus holds only
 * those choices and edits, so a replay runs against freshly generated keys of the same shapes.
 */
final class MaterialTemplates {
    private MaterialTemplates() {
    }

    /** PEM files as OpenSSL and keytool write them, each split into its blocks. */
    static List<List<PemObject>> pemFiles(Path folder) {
        TestCertificate root = TestPki.rootCa("Fuzz Root").create();
        TestCertificate ec = root.issue("fuzz-ec").clientAuth().create();
        TestCertificate rsa = root.issue("fuzz-rsa").keyType(KeyType.RSA).clientAuth().create();
        TestCertificate ed = root.issue("fuzz-ed").keyType(KeyType.ED25519).clientAuth().create();
        String password = FuzzSecrets.PASSWORD;
        List<List<PemObject>> files = new ArrayList<>();
        files.add(blocks(ec.writeChain(folder.resolve("chain.pem"))));
        files.add(blocks(ec.writePkcs8Key(folder.resolve("ec.pkcs8"))));
        files.add(blocks(ec.writeEncryptedPkcs8Key(folder.resolve("ec.pkcs8.enc"), password)));
        files.add(blocks(ec.writeSec1Key(folder.resolve("ec.sec1"))));
        files.add(blocks(ec.writeSec1KeyWithParameters(folder.resolve("ec.sec1.params"))));
        files.add(blocks(ec.writeEncryptedSec1Key(folder.resolve("ec.sec1.enc"), password)));
        files.add(blocks(rsa.writePkcs8Key(folder.resolve("rsa.pkcs8"))));
        files.add(blocks(rsa.writePkcs1Key(folder.resolve("rsa.pkcs1"))));
        files.add(blocks(rsa.writeEncryptedPkcs1Key(folder.resolve("rsa.pkcs1.enc"), password)));
        files.add(blocks(rsa.writeEncryptedPkcs8Key(folder.resolve("rsa.pkcs8.enc"), password)));
        files.add(blocks(ed.writePkcs8Key(folder.resolve("ed.pkcs8"))));
        List<PemObject> keyAndChain = new ArrayList<>(blocks(ec.writeChain(folder.resolve("both.pem"))));
        keyAndChain.addAll(blocks(ec.writePkcs8Key(folder.resolve("both.key"))));
        files.add(keyAndChain);
        return files;
    }

    /** Keystores with a key entry (alias "client") and truststores ("ca-0"), all under {@link FuzzSecrets#PASSWORD}. */
    static List<byte[]> keyStores(Path folder) {
        TestCertificate root = TestPki.rootCa("Fuzz Store Root").create();
        TestCertificate client = root.issue("fuzz-store-client").clientAuth().create();
        String password = FuzzSecrets.PASSWORD;
        List<byte[]> stores = new ArrayList<>();
        for (String type : List.of("PKCS12", "JKS", "JCEKS")) {
            stores.add(read(client.writeKeyStore(folder.resolve("key." + type), type, password, password, "client")));
            stores.add(read(TestPki.writeTrustStore(folder.resolve("trust." + type), type, password,
                    root.certificate())));
        }
        stores.add(read(TestPki.writeTrustStore(folder.resolve("open.p12"), "PKCS12", null, root.certificate())));
        stores.add(read(TestPki.writeOpenSslTrustStore(folder.resolve("openssl.p12"), password, root.certificate())));
        return stores;
    }

    /**
     * One of the PEM files with fuzzer edits: to one block's DER before it is armoured (so the
     * edits reach the ASN.1 and key decoders), or to the armoured text (headers, lines, base64).
     */
    static byte[] editedPem(List<PemObject> blocks, FuzzedDataProvider data) {
        boolean editText = data.consumeBoolean();
        int edited = data.consumeInt(0, blocks.size() - 1);
        List<PemObject> written = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            PemObject block = blocks.get(i);
            written.add(i != edited || editText ? block
                    : new PemObject(block.getType(), block.getHeaders(), ByteEdits.apply(block.getContent(), data)));
        }
        byte[] text = armour(written);
        return editText ? ByteEdits.apply(text, data) : text;
    }

    private static byte[] armour(List<PemObject> blocks) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            for (PemObject block : blocks) {
                writer.writeObject(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<PemObject> blocks(Path file) {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return blocks;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
