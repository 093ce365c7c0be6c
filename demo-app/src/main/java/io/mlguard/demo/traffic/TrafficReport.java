package io.mlguard.demo.traffic;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Everything the traffic generator observed, in the order it happened. */
public final class TrafficReport {
    private final List<ClientTally> tallies = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<io.mlguard.demo.traffic.attack.AttackResult> attacks = new ArrayList<>();
    private boolean modelFileChanged;

    synchronized ClientTally tally(String phase, String client) {
        ClientTally tally = new ClientTally(phase, client);
        tallies.add(tally);
        return tally;
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized void attack(io.mlguard.demo.traffic.attack.AttackResult result) {
        attacks.add(result);
    }

    /** What each attack played achieved, in order. */
    public synchronized List<io.mlguard.demo.traffic.attack.AttackResult> attacks() {
        return List.copyOf(attacks);
    }

    /** The notes, in order. */
    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    synchronized void modelFileChanged(boolean changed) {
        modelFileChanged = changed;
    }

    /** Per phase and client, in order. */
    public synchronized List<ClientTally> tallies() {
        return List.copyOf(tallies);
    }

    /** Whether a swap replaced the model file with different bytes. */
    public synchronized boolean modelFileChanged() {
        return modelFileChanged;
    }

    /** Requests sent in total. */
    public synchronized int totalRequests() {
        return tallies.stream().mapToInt(ClientTally::requests).sum();
    }

    /** Whether every request got a 200 (every request this generator sends should). */
    public synchronized boolean allSucceeded() {
        return tallies.stream().allMatch(t -> t.succeeded() == t.requests());
    }

    /** Prints the summary table. */
    public synchronized void print(PrintStream out) {
        out.println("traffic summary");
        out.printf(
                "%-11s %-12s %8s  %-16s %s%n",
                "phase", "client", "requests", "statuses", "accuracy");
        for (ClientTally tally : tallies) {
            out.println(tally.line());
        }
        notes.forEach(n -> out.println("note: " + n));
        List<String> failed = new ArrayList<>();
        for (ClientTally t : tallies) {
            if (t.succeeded() != t.requests()) {
                failed.add(t.phase() + "/" + t.client());
            }
        }
        out.println(
                failed.isEmpty()
                        ? "result: OK, all " + totalRequests() + " requests succeeded"
                        : "result: FAILED, unexpected answers for " + failed);
        out.flush();
    }
}
