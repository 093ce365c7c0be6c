package io.mlguard.collector.explain.llm;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.IncidentFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Past incidents, their explanations and the operators' verdicts, embedded (all-MiniLM-L6-v2, in
 * process, offline) so that the most similar ones can go into a prompt. The store is written to a
 * file after every change (temporary file, then an atomic rename), so it survives restarts; a file
 * that cannot be read is moved aside, never overwritten.
 */
public final class IncidentMemory {
    public static final String UNREVIEWED = "unreviewed";

    private static final Logger LOG = LoggerFactory.getLogger(IncidentMemory.class);
    private static final char SEP = '\u001f';

    private final EmbeddingModel embeddings;
    private final Path file;
    private final InMemoryEmbeddingStore<TextSegment> store;

    /** {@code file} may be {@code null}: then nothing is kept across restarts. */
    public IncidentMemory(EmbeddingModel embeddings, Path file) {
        this.embeddings = embeddings;
        this.file = file;
        this.store = load(file);
    }

    /** Stores (or replaces) an incident with its explanation, keeping any verdict it had. */
    public synchronized void remember(IncidentFacts f, Explanation e) {
        Metadata old = stored(f.id());
        put(
                f,
                e.summary(),
                old == null ? UNREVIEWED : old.getString("verdict"),
                old == null ? "" : commentOf(old));
    }

    /** Records an operator's verdict, e.g. {@code false_positive}; feeds later prompts. */
    public synchronized void recordVerdict(IncidentFacts f, String summary, String verdict) {
        recordVerdict(f, summary, verdict, "");
    }

    /**
     * Records an operator's verdict with the operator's comment (outside text: the prompt masks and
     * fences it like every other data string), so that similar later incidents are explained with
     * "operators confirmed this kind as a false positive, because ..." in view.
     */
    public synchronized void recordVerdict(
            IncidentFacts f, String summary, String verdict, String comment) {
        put(f, summary, verdict, comment == null ? "" : comment);
    }

    /** The verdict stored with an incident, or {@code null} when it is not in memory. */
    public synchronized String verdict(String incidentId) {
        Metadata md = stored(incidentId);
        return md == null ? null : md.getString("verdict");
    }

    /** The {@code k} most similar other incidents, most similar first. */
    public synchronized List<PastIncident> similar(IncidentFacts f, int k) {
        List<EmbeddingMatch<TextSegment>> matches =
                store.search(
                                EmbeddingSearchRequest.builder()
                                        .queryEmbedding(embed(describe(f, "")))
                                        .maxResults(k + 1)
                                        .minScore(0.0)
                                        .build())
                        .matches();
        List<PastIncident> out = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> m : matches) {
            Metadata md = m.embedded().metadata();
            if (md.getString("incidentId").equals(f.id()) || out.size() == k) {
                continue;
            }
            String clients = md.getString("clients");
            out.add(
                    new PastIncident(
                            md.getString("incidentId"),
                            md.getString("type"),
                            md.getString("severity"),
                            md.getString("model"),
                            clients.isEmpty()
                                    ? List.of()
                                    : Arrays.asList(clients.split(String.valueOf(SEP))),
                            md.getLong("count"),
                            md.getString("verdict"),
                            md.getString("summary"),
                            commentOf(md),
                            m.score()));
        }
        return out;
    }

    private static String commentOf(Metadata md) {
        String c = md.getString("comment"); // absent in files written before comments were kept
        return c == null ? "" : c;
    }

    private void put(IncidentFacts f, String summary, String verdict, String comment) {
        String text = describe(f, summary);
        Metadata md =
                Metadata.from(
                        Map.of(
                                "incidentId", f.id(),
                                "type", f.type(),
                                "severity", f.severity().wireName(),
                                "model", String.valueOf(f.model()),
                                "clients", String.join(String.valueOf(SEP), f.clients()),
                                "count", f.count(),
                                "verdict", verdict,
                                "comment", comment,
                                "summary", summary));
        store.removeAll(List.of(f.id()));
        store.add(f.id(), embed(text), TextSegment.from(text, md));
        save();
    }

    private Metadata stored(String incidentId) {
        List<EmbeddingMatch<TextSegment>> m =
                store.search(
                                EmbeddingSearchRequest.builder()
                                        .queryEmbedding(embed(incidentId))
                                        .filter(metadataKey("incidentId").isEqualTo(incidentId))
                                        .maxResults(1)
                                        .minScore(0.0)
                                        .build())
                        .matches();
        return m.isEmpty() ? null : m.get(0).embedded().metadata();
    }

    /** What is embedded: the incident's kind and evidence names, and how it was explained. */
    private static String describe(IncidentFacts f, String summary) {
        return f.type()
                + " incident, severity "
                + f.severity().wireName()
                + ", reasons "
                + String.join(" ", f.reasons().keySet())
                + ", evidence "
                + String.join(" ", f.evidence().keySet())
                + ". "
                + summary;
    }

    private Embedding embed(String text) {
        return embeddings.embed(text).content();
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, store.serializeToJson(), StandardCharsets.UTF_8);
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Retrieval is a nicety; the next change tries again.
            LOG.warn("could not save the incident memory to {}: {}", file, e.toString());
        }
    }

    private static InMemoryEmbeddingStore<TextSegment> load(Path file) {
        if (file == null || !Files.exists(file)) {
            return new InMemoryEmbeddingStore<>();
        }
        try {
            return InMemoryEmbeddingStore.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            Path aside =
                    file.resolveSibling(
                            file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            LOG.warn("incident memory {} is unreadable ({}); moved to {}", file, e, aside);
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                throw new IllegalStateException("cannot move aside unreadable " + file, moveFailed);
            }
            return new InMemoryEmbeddingStore<>();
        }
    }
}
