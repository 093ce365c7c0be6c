package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.config.AllowList;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Flags a model whose bytes are not the expected ones (severity critical).
 *
 * <p>Without an allow-list, the first SHA-256 loaded under a model id is its baseline and any later
 * load with another hash is a signal; reloading the same bytes is not. With an allow-list, the list
 * is the authority: a load or an inference whose hash is not listed is a signal, and a listed load
 * is a legitimate deployment. Inference records carry the first 8 bytes of the hash, which catches
 * a substitution whose load record was lost.
 */
public final class ModelSubstitutionDetector implements Detector, Checkpointable {
    /** Bounds the baseline table: model ids come from outside. */
    static final int MAX_MODELS = 4096;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final AllowList allowList;
    private final Map<String, Baseline> baselines = new HashMap<>();

    /** The hash a model is expected to have, and how the collector learnt it. */
    private static final class Baseline {
        final String sha256; // null when only an inference's prefix was seen
        final long prefix;
        final String source;

        Baseline(String sha256, long prefix, String source) {
            this.sha256 = sha256;
            this.prefix = prefix;
            this.source = source;
        }
    }

    /**
     * @param allowList the allowed hashes, or {@code null} to learn baselines from first loads
     */
    public ModelSubstitutionDetector(AllowList allowList) {
        this.allowList = allowList;
    }

    @Override
    public String name() {
        return "model-substitution";
    }

    @Override
    public void onModelLoad(ModelLoadRecord m, long index, SignalSink sink) {
        // A failed load serves nothing; a load without a hash cannot be judged.
        if (m.outcome != Outcome.OK || m.sha256 == null || !SHA256.matcher(m.sha256).matches()) {
            return;
        }
        String sha = m.sha256.toLowerCase(Locale.ROOT);
        long prefix = m.hashPrefix();
        Baseline baseline = baselines.get(m.modelId);
        if (allowList != null) {
            if (allowList.contains(sha)) {
                remember(m.modelId, new Baseline(sha, prefix, "allow_list"));
            } else {
                sink.accept(
                        loadSignal(m, index, "not_in_allow_list", baseline, sha)
                                .evidence("allowListSize", allowList.size())
                                .build());
            }
            return;
        }
        if (baseline == null) {
            remember(m.modelId, new Baseline(sha, prefix, "first_load"));
        } else if (baseline.sha256 == null) {
            // Only an inference's prefix was known: confirm it, or flag the mismatch.
            if (baseline.prefix == prefix) {
                remember(m.modelId, new Baseline(sha, prefix, baseline.source));
            } else {
                sink.accept(loadSignal(m, index, "hash_changed", baseline, sha).build());
            }
        } else if (!baseline.sha256.equals(sha)) {
            sink.accept(loadSignal(m, index, "hash_changed", baseline, sha).build());
        }
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        long prefix = r.modelHashPrefix;
        if (prefix == 0) {
            return; // the agent did not know the model's hash
        }
        Baseline baseline = baselines.get(r.modelId);
        String reason;
        if (allowList != null) {
            if (allowList.containsPrefix(prefix)) {
                return;
            }
            reason = "inference_hash_not_in_allow_list";
        } else if (baseline == null) {
            // The load record was missed: the first prefix seen stands in until one arrives.
            remember(r.modelId, new Baseline(null, prefix, "first_inference"));
            return;
        } else if (baseline.prefix == prefix) {
            return;
        } else {
            reason = "inference_hash_mismatch";
        }
        Signal.Builder b =
                Signal.builder(SignalType.MODEL_SUBSTITUTION, Severity.CRITICAL, reason)
                        .model(r.modelId)
                        .client(r.clientId)
                        .record(index, r.timestampMillis)
                        .evidence("observedHashPrefix", HashPrefix.hex(prefix))
                        .evidence("runtime", r.runtime);
        expected(b, baseline);
        sink.accept(b.build());
    }

    private Signal.Builder loadSignal(
            ModelLoadRecord m, long index, String reason, Baseline baseline, String sha) {
        Signal.Builder b =
                Signal.builder(SignalType.MODEL_SUBSTITUTION, Severity.CRITICAL, reason)
                        .model(m.modelId)
                        .record(index, m.timestampMillis)
                        .evidence("observedHashPrefix", sha.substring(0, 16))
                        .evidence("observedSha256", sha)
                        .evidence("sizeBytes", m.sizeBytes)
                        .evidence("source", m.source)
                        .evidence("runtime", m.runtime);
        expected(b, baseline);
        return b;
    }

    private static void expected(Signal.Builder b, Baseline baseline) {
        if (baseline != null) {
            b.evidence("expectedHashPrefix", HashPrefix.hex(baseline.prefix))
                    .evidence("expectedSha256", baseline.sha256)
                    .evidence("baselineSource", baseline.source);
        } else {
            b.evidence("baselineSource", "allow_list");
        }
    }

    private void remember(String model, Baseline b) {
        if (baselines.containsKey(model) || baselines.size() < MAX_MODELS) {
            baselines.put(model, b);
        }
    }

    /** The baselines as JSON: {@code {model: [sha256 or null, prefix, source]}}, sorted. */
    @Override
    public String saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        for (Map.Entry<String, Baseline> e : new TreeMap<>(baselines).entrySet()) {
            Baseline b = e.getValue();
            n.putArray(e.getKey()).add(b.sha256).add(b.prefix).add(b.source);
        }
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        Map<String, Baseline> restored = new HashMap<>();
        n.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode b = e.getValue();
                            String sha = b.path(0).isNull() ? null : b.path(0).asText();
                            restored.put(
                                    e.getKey(),
                                    new Baseline(sha, b.path(1).asLong(), b.path(2).asText()));
                        });
        baselines.clear();
        baselines.putAll(restored);
    }
}
