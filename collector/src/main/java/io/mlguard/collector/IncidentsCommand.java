package io.mlguard.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code java -jar mlguard-collector.jar incidents --url URL [--expect TYPE,...] [--wait SECONDS]}:
 * lists a running collector's incidents in a terminal. With {@code --expect}, waits until an
 * incident of each type is there and exits 3 if one never comes, so scripts can check a run.
 *
 * <p>Client ids, model names and summaries are attacker-controlled: control characters are replaced
 * before they reach the terminal, so no escape sequence in a client id is ever interpreted.
 */
final class IncidentsCommand {
    static final String USAGE =
            "usage: java -jar mlguard-collector.jar incidents --url URL [--expect TYPE,...]"
                    + " [--wait SECONDS]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentsCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        Set<String> expected = new LinkedHashSet<>();
        long waitSeconds = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url":
                        url = value(args, ++i, "--url");
                        break;
                    case "--expect":
                        for (String t : value(args, ++i, "--expect").split(",")) {
                            if (!t.isBlank()) {
                                expected.add(t.trim());
                            }
                        }
                        break;
                    case "--wait":
                        waitSeconds = Long.parseLong(value(args, ++i, "--wait"));
                        if (waitSeconds < 0 || waitSeconds > 3600) {
                            throw new IllegalArgumentException("--wait must be 0..3600 seconds");
                        }
                        break;
                    case "--help":
                        out.println(USAGE);
                        return 0;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (url == null) {
                throw new IllegalArgumentException("--url is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("mlguard-collector incidents: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        JsonNode incidents;
        Set<String> missing;
        while (true) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/incidents"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    err.println(
                            "mlguard-collector incidents: " + base + " answered " + r.statusCode());
                    return 1;
                }
                incidents = JSON.readTree(r.body());
            } catch (Exception e) {
                err.println("mlguard-collector incidents: cannot reach " + base + ": " + e);
                return 1;
            }
            missing = new LinkedHashSet<>(expected);
            for (JsonNode i : incidents) {
                missing.remove(i.path("type").asText());
            }
            if (missing.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        print(incidents, base, out);
        if (!missing.isEmpty()) {
            err.println("expected incident types not seen: " + String.join(", ", missing));
            return 3;
        }
        return 0;
    }

    private static void print(JsonNode incidents, String base, PrintStream out) {
        out.println(
                incidents.size() + " incident(s) at " + base + "  (report: " + base + "/report)");
        if (incidents.size() == 0) {
            return;
        }
        String fmt = "%-9s %-19s %-12s %-28s %6s  %-20s  %s%n";
        out.printf(
                Locale.ROOT,
                fmt,
                "SEVERITY",
                "TYPE",
                "MODEL",
                "CLIENTS",
                "COUNT",
                "FIRST SEEN (UTC)",
                "ID");
        for (JsonNode i : incidents) {
            List<String> clients = new ArrayList<>();
            for (JsonNode c : i.path("clients")) {
                clients.add(c.asText());
            }
            String clientText =
                    clients.isEmpty()
                            ? "-"
                            : clients.get(0)
                                    + (clients.size() > 1
                                            ? " (+" + (clients.size() - 1) + ")"
                                            : "");
            out.printf(
                    Locale.ROOT,
                    fmt,
                    safe(i.path("severity").asText(), 9),
                    safe(i.path("type").asText(), 19),
                    safe(i.path("model").asText(), 12),
                    safe(clientText, 28),
                    i.path("count").asLong(),
                    Instant.ofEpochMilli(i.path("firstSeen").asLong())
                            .toString()
                            .replaceFirst("\\.\\d+Z$", "Z"),
                    safe(i.path("id").asText(), 40));
            String summary = i.path("explanation").path("summary").asText("");
            if (!summary.isEmpty()) {
                out.println("          " + safe(summary, 200));
            }
        }
    }

    /** Cuts to {@code max} characters and replaces control characters with '?'. */
    static String safe(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int k = 0; k < s.length() && sb.length() < max; k++) {
            char c = s.charAt(k);
            sb.append(
                    Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            ? '?'
                            : c);
        }
        return sb.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
