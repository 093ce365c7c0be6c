package io.mlguard.collector.incident;

import java.util.Objects;

/** One operator's verdict on one incident, with a free-text comment and when it was given. */
public final class Feedback {
    /** Comments longer than this are refused: feedback is a note, not a document. */
    public static final int MAX_COMMENT_CHARS = 4_000;

    private final String incidentId;
    private final Verdict verdict;
    private final String comment;
    private final long createdAt;

    public Feedback(String incidentId, Verdict verdict, String comment, long createdAt) {
        this.incidentId = Objects.requireNonNull(incidentId, "incidentId");
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.comment = comment == null ? "" : comment;
        if (this.comment.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException(
                    "comment is longer than " + MAX_COMMENT_CHARS + " characters");
        }
        this.createdAt = createdAt;
    }

    public String incidentId() {
        return incidentId;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The operator's comment (outside text: escape it wherever it is shown); may be empty. */
    public String comment() {
        return comment;
    }

    /** Collector time (epoch ms) when the feedback was stored. */
    public long createdAt() {
        return createdAt;
    }
}
