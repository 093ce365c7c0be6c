package io.mlguard.demo.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a black-box attacker has: the server's HTTP API, one input per request. It counts queries,
 * stops the attack when its budget or time is spent, and, when asked, changes the client id every N
 * queries the way an attacker spreads queries over accounts.
 */
public final class QueryOracle {
    /** Thrown when the attack may not send another query; attacks end with their best result. */
    public static final class BudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExhausted(String why) {
            super(why, null, false, false);
        }
    }

    private final String baseUrl;
    private final String model;
    private final String phase;
    private final AttackSettings settings;
    private final TrafficReport report;
    private final long deadline;
    private final List<String> clients = new ArrayList<>();
    private OipClient client;
    private ClientTally tally;
    private int queries;

    /**
     * An oracle for {@code model} whose requests are tallied in {@code report} under {@code phase}.
     */
    public QueryOracle(
            String baseUrl,
            String model,
            String phase,
            AttackSettings settings,
            TrafficReport report) {
        this.baseUrl = baseUrl;
        this.model = model;
        this.phase = phase;
        this.settings = settings;
        this.report = report;
        Duration limit = settings.timeLimit();
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** The class the server predicts for {@code x}. */
    public int label(float[] x) throws InterruptedException {
        return (int) ask(x).labels()[0];
    }

    /** The class probabilities the server returns for {@code x}. */
    public float[] probabilities(float[] x) throws InterruptedException {
        float[][] p = ask(x).probabilities();
        if (p == null) {
            throw new IllegalStateException("model '" + model + "' returns no probabilities");
        }
        return p[0];
    }

    /** Queries sent so far. */
    public int queries() {
        return queries;
    }

    /** Queries still allowed. */
    public int remaining() {
        return settings.budget() - queries;
    }

    /** The client ids used so far, in order. */
    public List<String> clients() {
        return List.copyOf(clients);
    }

    private OipClient.Answer ask(float[] x) throws InterruptedException {
        if (queries >= settings.budget()) {
            throw new BudgetExhausted("query budget of " + settings.budget() + " spent");
        }
        if (System.nanoTime() - deadline > 0) {
            throw new BudgetExhausted("time limit of " + settings.timeLimit() + " reached");
        }
        int rotation = settings.rotateEvery() == 0 ? 0 : queries / settings.rotateEvery();
        if (client == null || rotation >= clients.size()) {
            String id =
                    settings.rotateEvery() == 0
                            ? settings.client()
                            : settings.client() + "-r" + (rotation + 1);
            clients.add(id);
            client = new OipClient(baseUrl, id);
            tally = report.tally(phase, id);
        }
        queries++;
        OipClient.Answer answer = client.infer(model, phase + "-" + queries, new float[][] {x});
        tally.record(answer.status());
        if (answer.status() != 200) {
            throw new IllegalStateException(
                    "the server answered " + answer.status() + " to query " + queries);
        }
        return answer;
    }
}
