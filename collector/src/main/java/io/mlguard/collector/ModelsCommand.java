package io.mlguard.collector;

import io.mlguard.collector.config.ModelDigest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar mlguard-collector.jar models trust MODEL... [--out FILE]}: prints (or writes)
 * the allow-list that {@code --allow-list} reads, one {@code <sha256> <path>} line per model in the
 * format {@code sha256sum} writes, so a CI step can produce it for the models it ships. A directory
 * model is hashed as the agent hashes it ({@link ModelDigest}).
 */
final class ModelsCommand {
    static final String USAGE =
            "usage: java -jar mlguard-collector.jar models trust MODEL_FILE_OR_DIR... [--out FILE]";

    private ModelsCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("trust")) {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
                out.println(USAGE);
                return 0;
            }
            err.println("mlguard-collector models: expected 'trust'\n" + USAGE);
            return 2;
        }
        List<Path> models = new ArrayList<>();
        Path outFile = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (a.equals("--out")) {
                if (i + 1 >= args.length) {
                    err.println("mlguard-collector models trust: --out needs a file\n" + USAGE);
                    return 2;
                }
                outFile = Paths.get(args[++i]);
            } else if (a.startsWith("--out=")) {
                outFile = Paths.get(a.substring("--out=".length()));
            } else if (a.startsWith("--")) {
                err.println("mlguard-collector models trust: unknown option " + a + "\n" + USAGE);
                return 2;
            } else {
                models.add(Paths.get(a));
            }
        }
        if (models.isEmpty()) {
            err.println("mlguard-collector models trust: name at least one model\n" + USAGE);
            return 2;
        }
        StringBuilder list = new StringBuilder();
        for (Path m : models) {
            if (!Files.exists(m)) {
                err.println("mlguard-collector models trust: no such file or directory: " + m);
                return 1;
            }
            try {
                list.append(line(ModelDigest.sha256Hex(m), m.toString()));
            } catch (IOException e) {
                err.println("mlguard-collector models trust: cannot read " + m + ": " + e);
                return 1;
            }
        }
        if (outFile == null) {
            out.print(list);
            out.flush();
            return 0;
        }
        try {
            write(outFile, list.toString());
        } catch (IOException e) {
            err.println("mlguard-collector models trust: cannot write " + outFile + ": " + e);
            return 1;
        }
        return 0;
    }

    /** As sha256sum: a path with a backslash or newline is escaped and the line marked with '\'. */
    static String line(String hex, String path) {
        if (path.indexOf('\\') < 0 && path.indexOf('\n') < 0) {
            return hex + "  " + path + "\n";
        }
        return "\\" + hex + "  " + path.replace("\\", "\\\\").replace("\n", "\\n") + "\n";
    }

    private static void write(Path file, String content) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(
                        tmp,
                        abs,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
