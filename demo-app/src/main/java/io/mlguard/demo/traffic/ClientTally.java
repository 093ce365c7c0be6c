package io.mlguard.demo.traffic;

import java.util.Map;
import java.util.TreeMap;

/** What one client observed during one phase: statuses, and predictions against true labels. */
public final class ClientTally {
    private final String phase;
    private final String client;
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int requests;
    private int labelled;
    private int correct;

    ClientTally(String phase, String client) {
        this.phase = phase;
        this.client = client;
    }

    /** Phase of the scenario, e.g. {@code benign} or {@code after-swap}. */
    public String phase() {
        return phase;
    }

    /** The {@code X-Client-Id} sent. */
    public String client() {
        return client;
    }

    /** Requests sent. */
    public synchronized int requests() {
        return requests;
    }

    /** Answers per HTTP status; -1 counts requests that got no answer at all. */
    public synchronized Map<Integer, Integer> statuses() {
        return new TreeMap<>(statuses);
    }

    /** Requests answered with 200. */
    public synchronized int succeeded() {
        return statuses.getOrDefault(200, 0);
    }

    /** Digits whose predicted label was compared with the truth. */
    public synchronized int labelled() {
        return labelled;
    }

    /** Of those, the correct ones. */
    public synchronized int correct() {
        return correct;
    }

    synchronized void record(int status) {
        requests++;
        statuses.merge(status, 1, Integer::sum);
    }

    synchronized void prediction(long predicted, int truth) {
        labelled++;
        if (predicted == truth) {
            correct++;
        }
    }

    /** One summary line. */
    synchronized String line() {
        StringBuilder codes = new StringBuilder();
        statuses.forEach(
                (k, v) ->
                        codes.append(codes.length() == 0 ? "" : " ")
                                .append(k == -1 ? "error" : k)
                                .append('=')
                                .append(v));
        String accuracy =
                labelled == 0
                        ? "-"
                        : String.format(
                                java.util.Locale.ROOT,
                                "%.3f (%d/%d)",
                                (double) correct / labelled,
                                correct,
                                labelled);
        return String.format(
                java.util.Locale.ROOT,
                "%-11s %-12s %8d  %-16s %s",
                phase,
                client,
                requests,
                codes,
                accuracy);
    }

    @Override
    public String toString() {
        return line();
    }
}
