package dev.mtls.fuzzing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;

/**
 * Applies fuzzer-chosen edits (overwrite, insert, cut) to a valid structure generated at test
 * time. The harnesses fuzz keys and keystores this way because real ones are never committed:
 * the corpus holds only the edit scripts, and the fuzzer still starts deep inside the format.
 */
public final class ByteEdits {
    private ByteEdits() {
    }

    public static byte[] apply(byte[] original, FuzzedDataProvider data) {
        byte[] bytes = original.clone();
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits && data.remainingBytes() > 0 && bytes.length > 0; i++) {
            int at = data.consumeInt(0, bytes.length - 1);
            switch (data.consumeInt(0, 2)) {
                case 0:
                    bytes[at] = data.consumeByte();
                    break;
                case 1:
                    bytes = insert(bytes, at, data.consumeBytes(data.consumeInt(1, 16)));
                    break;
                default:
                    bytes = cut(bytes, at, data.consumeInt(1, 64));
                    break;
            }
        }
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static byte[] cut(byte[] bytes, int at, int length) {
        int end = Math.min(bytes.length, at + length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes, 0, at);
        out.write(bytes, end, bytes.length - end);
        return out.toByteArray();
    }
}
