package io.mlguard.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token that mutating API calls must present. It is kept only as its SHA-256, and
 * compared with {@link MessageDigest#isEqual} on digests, so neither the comparison's time nor the
 * token's length tells an attacker anything.
 */
public final class ApiToken {
    /** Shorter tokens are refused: they could be guessed. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private ApiToken(byte[] digest) {
        this.digest = digest;
    }

    public static ApiToken of(String token, String origin) throws UsageException {
        String t = token == null ? "" : token.strip();
        if (t.length() < MIN_LENGTH) {
            throw new UsageException(
                    "API token from " + origin + " must be at least " + MIN_LENGTH + " characters");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new UsageException(
                        "API token from " + origin + " must be printable ASCII without spaces");
            }
        }
        return new ApiToken(sha256(t));
    }

    /** Reads a token from the first line of a file (a trailing newline is ignored). */
    public static ApiToken fromFile(Path file) throws UsageException {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read API token file " + file + ": " + e, e);
        }
        return of(content, "file " + file);
    }

    /** Whether {@code presented} is the token, in time independent of where they differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
