package io.mlguard.demo.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The layout of a model repository, {@code DIR/<name>/<version>/model.onnx}, and a safe way to put
 * a file into it.
 */
public final class ModelFiles {
    /** File name of a model inside its version directory. */
    public static final String FILE_NAME = "model.onnx";

    /** Name of the MNIST model. */
    public static final String MNIST = "mnist";

    private ModelFiles() {}

    /** {@code modelsDir/name/version/model.onnx}. */
    public static Path modelPath(Path modelsDir, String name, long version) {
        return modelsDir.resolve(name).resolve(Long.toString(version)).resolve(FILE_NAME);
    }

    /**
     * Replaces {@code target} with {@code bytes} through a temporary file in the same directory and
     * an atomic rename, so that a server loading the file concurrently sees either the old or the
     * new model, never half of one.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            // temp files are owner-only; a model file is not a secret and other users may serve it
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
