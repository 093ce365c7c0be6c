package io.mlguard.collector.respond;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a response rule sends a notification, and in which body format.
 *
 * @param name the name rules refer to
 * @param format the body the receiver expects
 * @param url an {@code http} or {@code https} address chosen by the operator
 */
public record Notifier(String name, Format format, URI url) {
    /** The body formats mlguard can post. */
    public enum Format {
        /** mlguard's own JSON: the incident's id, type, severity, model, clients and summary. */
        WEBHOOK,
        /** A Slack incoming-webhook message ({@code {"text": ...}}). */
        SLACK,
        /** A list of alerts for Alertmanager's {@code POST /api/v2/alerts}. */
        ALERTMANAGER;

        /** Parses {@code webhook}, {@code slack} or {@code alertmanager}. */
        static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown notifier format '"
                                + s
                                + "' (expected webhook, slack or alertmanager)",
                        e);
            }
        }
    }

    public Notifier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "notifier '"
                            + name
                            + "': url must be an http(s) address with a host, not "
                            + url);
        }
    }
}
