package io.mlguard.demo.server;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of a model with its open ONNX Runtime session. Reference counted: the repository
 * holds one reference while the version is current and every in-flight request holds one more, so a
 * reload can swap in a new version at once while the old session is closed only when its last
 * request is done.
 */
public final class LoadedModel {
    private final String name;
    private final long version;
    private final Path path;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final AtomicInteger references = new AtomicInteger(1);

    private LoadedModel(String name, long version, Path path, OrtSession session)
            throws OrtException {
        this.name = name;
        this.version = version;
        this.path = path;
        this.session = session;
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
    }

    /** Opens {@code path} in a new session. The caller owns the returned reference. */
    static LoadedModel open(OrtEnvironment env, String name, long version, Path path)
            throws OrtException {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            session = env.createSession(path.toString(), options);
        }
        try {
            return new LoadedModel(name, version, path, session);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo info : infos.values()) {
            specs.add(TensorSpec.of(info));
        }
        return List.copyOf(specs);
    }

    /** Model name. */
    public String name() {
        return name;
    }

    /** Version number (the name of its directory). */
    public long version() {
        return version;
    }

    /** The file this session was created from. */
    public Path path() {
        return path;
    }

    /** The session; valid only while a reference is held. */
    OrtSession session() {
        return session;
    }

    /** Graph inputs in declaration order. */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** Graph outputs in declaration order. */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** Takes a reference unless the session is already being closed. */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the session. */
    void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            try {
                session.close();
            } catch (OrtException e) {
                System.err.println("closing session of " + name + " v" + version + ": " + e);
            }
        } else if (n < 0) {
            throw new IllegalStateException("released more often than acquired: " + name);
        }
    }
}
