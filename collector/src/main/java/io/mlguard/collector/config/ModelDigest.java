package io.mlguard.collector.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SHA-256 of a model exactly as the agent computes it when the model loads: of a file's bytes,
 * or, for a directory (a SavedModel), of every regular file in path order, each as its relative
 * path, a zero byte, then its content. The two must agree byte for byte, or every allow-listed
 * directory model would be flagged; a test checks it against the agent's own hasher.
 */
public final class ModelDigest {
    private ModelDigest() {}

    public static String sha256Hex(Path model) throws IOException {
        MessageDigest md = sha256();
        if (Files.isDirectory(model)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(model)) {
                files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
            for (Path f : files) {
                md.update(model.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                update(md, f);
            }
        } else {
            update(md, model);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, Path file) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
