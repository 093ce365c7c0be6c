package io.mlguard.it;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the tests expect of model loads and outputs, computed without the agent's code. */
final class Hashes {
    private Hashes() {}

    static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A directory's hash: each file in path order, its relative path, a zero byte, its bytes. */
    static String sha256OfDirectory(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new AssertionError("no files in " + dir);
        }
        for (Path f : files) {
            md.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static long sizeOfDirectory(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The record's output of shape {@code [rows, classes]}. */
    static TensorSummary outputShaped(InferenceRecord r, long rows, long classes) {
        for (int i = 0; i < r.outputCount; i++) {
            long[] shape = r.outputs[i].shape();
            if (shape.length == 2 && shape[0] == rows && shape[1] == classes) {
                return r.outputs[i];
            }
        }
        throw new AssertionError("no [" + rows + ", " + classes + "] output in " + r);
    }
}
