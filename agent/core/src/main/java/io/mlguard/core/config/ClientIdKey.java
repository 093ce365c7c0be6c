package io.mlguard.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the pseudonymisation key: from a file ({@code clientIdKeyFile}, the safer way: the key
 * stays out of the process's command line) or given directly ({@code clientIdKey}, meant for the
 * environment variable {@code MLGUARD_CLIENT_ID_KEY}). Class loader: agent.
 */
final class ClientIdKey {
    static final int MIN_BYTES = 16;

    private ClientIdKey() {}

    /** The key bytes, or {@code null} when neither setting is given. */
    static byte[] load(String file, String inline) {
        if (file != null && inline != null) {
            throw new IllegalArgumentException(
                    "mlguard settings clientIdKeyFile and clientIdKey are both set; set one");
        }
        byte[] key;
        String where;
        if (file != null) {
            where = "clientIdKeyFile " + file;
            try {
                key = strip(Files.readAllBytes(Path.of(file)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "mlguard setting clientIdKeyFile=" + file + " cannot be read: " + e, e);
            }
        } else if (inline != null) {
            where = "clientIdKey";
            key = inline.trim().getBytes(StandardCharsets.UTF_8);
        } else {
            return null;
        }
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "mlguard "
                            + where
                            + ": the key is "
                            + key.length
                            + " bytes, it must be at least "
                            + MIN_BYTES);
        }
        return key;
    }

    /** Drops the trailing line break (and spaces) an editor or {@code echo} leaves in a file. */
    private static byte[] strip(byte[] b) {
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r' || b[n - 1] == ' ')) {
            n--;
        }
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
}
