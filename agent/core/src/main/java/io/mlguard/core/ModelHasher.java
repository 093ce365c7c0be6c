package io.mlguard.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SHA-256 of a model's bytes: of a file, of every file of a directory (in path order, each path
 * hashed with its content, so a renamed file changes the hash), or of an in-memory model. Class
 * loader: agent. Runs on the thread that loads the model, which is already slow; never on an
 * inference.
 */
public final class ModelHasher {
    /** The digest and how many bytes went into it. */
    public static final class Digest {
        public final String hex;
        public final long size;

        Digest(String hex, long size) {
            this.hex = hex;
            this.size = size;
        }
    }

    private ModelHasher() {}

    public static Digest of(Path path) throws IOException {
        MessageDigest md = sha256();
        long size = 0;
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
            for (Path f : files) {
                md.update(path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                size += update(md, f);
            }
        } else {
            size = update(md, path);
        }
        return new Digest(hex(md.digest()), size);
    }

    public static Digest of(byte[] bytes) {
        MessageDigest md = sha256();
        md.update(bytes);
        return new Digest(hex(md.digest()), bytes.length);
    }

    public static Digest of(ByteBuffer buffer) {
        MessageDigest md = sha256();
        ByteBuffer view = buffer.duplicate();
        long size = view.remaining();
        md.update(view);
        return new Digest(hex(md.digest()), size);
    }

    private static long update(MessageDigest md, Path file) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return size;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16))
                    .append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * A readable model id from a file path: the file name without extension, or, for the common
     * repository layout {@code <name>/<version>/model.onnx}, the name.
     */
    public static String modelIdFromPath(Path path) {
        Path file = path.getFileName();
        if (file == null) {
            return path.toString();
        }
        String name = file.toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        if (!base.equalsIgnoreCase("model")) {
            return base;
        }
        Path parent = path.getParent();
        while (parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().chars().allMatch(Character::isDigit)) {
            parent = parent.getParent();
        }
        return parent != null && parent.getFileName() != null
                ? parent.getFileName().toString()
                : base;
    }
}
