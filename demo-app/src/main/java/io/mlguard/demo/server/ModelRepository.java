package io.mlguard.demo.server;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models found in a repository directory laid out as {@code DIR/<name>/<version>/model.onnx};
 * the highest version of each is served.
 */
public final class ModelRepository implements AutoCloseable {
    private static final String FILE_NAME = "model.onnx";
    // a name becomes a path segment under the repository: nothing that could climb out of it
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path root;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<String, ModelSlot> slots = new ConcurrentHashMap<>();

    /** A repository rooted at {@code root}, which must be a directory. Nothing is loaded yet. */
    public ModelRepository(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model repository is not a directory: " + root);
        }
        this.root = root;
    }

    /** One line of the repository index. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IndexEntry(String name, String version, String state, String reason) {}

    /** Loads every model in the repository; failures are reported, not thrown. */
    public List<String> loadAll() {
        List<String> messages = new ArrayList<>();
        for (String name : namesOnDisk()) {
            try {
                LoadedModel model = load(name);
                messages.add("loaded model " + name + " version " + model.version());
            } catch (ApiException e) {
                messages.add("could not load model " + name + ": " + e.getMessage());
            }
        }
        return messages;
    }

    /**
     * Opens the newest version of {@code name} from disk and makes it current. The new session is
     * created first, so requests keep being served by the old one meanwhile, and if the new file
     * cannot be loaded the old version stays in service.
     */
    public LoadedModel load(String name) {
        checkName(name);
        Path dir = root.resolve(name);
        OptionalLong version = latestVersion(dir);
        if (version.isEmpty()) {
            throw ApiException.notFound(
                    "no model '"
                            + name
                            + "' in the repository (expected "
                            + name
                            + "/<version>/"
                            + FILE_NAME
                            + ")");
        }
        Path file = dir.resolve(Long.toString(version.getAsLong())).resolve(FILE_NAME);
        ModelSlot slot = slots.computeIfAbsent(name, ModelSlot::new);
        synchronized (slot) {
            LoadedModel next;
            try {
                next = LoadedModel.open(env, name, version.getAsLong(), file);
            } catch (OrtException e) {
                String why = "failed to load " + file + ": " + e.getMessage();
                slot.loadFailed(why);
                throw new ApiException(500, why);
            }
            slot.replace(next, "");
            return next;
        }
    }

    /** Takes the model out of service; its session closes after in-flight requests. */
    public void unload(String name) {
        slot(name).replace(null, "unloaded");
    }

    /**
     * A referenced current version of {@code name}; the caller must {@link LoadedModel#release()}
     * it.
     */
    public LoadedModel acquire(String name) {
        ModelSlot slot = slot(name);
        LoadedModel model = slot.acquire();
        if (model == null) {
            throw new ApiException(503, "model '" + name + "' is not ready: " + slot.reason());
        }
        return model;
    }

    /** The current version for metadata, or {@code null} when not ready. */
    public LoadedModel peek(String name) {
        return slot(name).peek();
    }

    /** Every model known in memory or present on disk, with its state. */
    public List<IndexEntry> index() {
        TreeSet<String> names = new TreeSet<>(slots.keySet());
        names.addAll(namesOnDisk());
        List<IndexEntry> entries = new ArrayList<>();
        for (String name : names) {
            ModelSlot slot = slots.get(name);
            LoadedModel model = slot == null ? null : slot.peek();
            if (model != null) {
                entries.add(new IndexEntry(name, Long.toString(model.version()), "READY", ""));
            } else {
                String reason = slot == null ? "not loaded" : slot.reason();
                entries.add(new IndexEntry(name, "", "UNAVAILABLE", reason));
            }
        }
        return entries;
    }

    private ModelSlot slot(String name) {
        ModelSlot slot = slots.get(name);
        if (slot == null) {
            throw ApiException.notFound("unknown model '" + name + "'");
        }
        return slot;
    }

    private static void checkName(String name) {
        if (!VALID_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid model name '" + name + "'");
        }
    }

    private List<String> namesOnDisk() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> VALID_NAME.matcher(n).matches())
                    .filter(n -> latestVersion(root.resolve(n)).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The highest numeric version directory that holds a model file. */
    static OptionalLong latestVersion(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> versions = Files.list(modelDir)) {
            return versions.filter(p -> Files.isRegularFile(p.resolve(FILE_NAME)))
                    .map(p -> p.getFileName().toString())
                    .filter(v -> v.matches("[0-9]{1,18}"))
                    .mapToLong(Long::parseLong)
                    .max();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Closes every session (after their in-flight requests). */
    @Override
    public void close() {
        for (ModelSlot slot : slots.values()) {
            slot.replace(null, "server stopped");
        }
    }
}
