package io.mlguard.collector.respond;

import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentObserver;
import io.mlguard.protocol.ControlRecord;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link ResponsePolicy} as incidents open and grow: writes block and throttle
 * commands to the control queue and posts notifications. It is told of every incident change on the
 * ingest thread and decides there, cheaply; the I/O runs on its own thread behind a bounded queue,
 * so a slow webhook never holds up detection. When that queue is full, actions are dropped and
 * counted rather than waited for.
 *
 * <p>Actions are at least once: after a crash, records replayed from the last checkpoint can repeat
 * an action. A repeated block only moves its expiry; a repeated notification carries the same
 * incident id, by which receivers such as Alertmanager deduplicate.
 */
public final class ResponseEngine implements IncidentObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseEngine.class);
    private static final String ISSUER = "mlguard-collector";
    private static final int QUEUE_CAPACITY = 1_000;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final ResponsePolicy policy;
    private final ControlQueueWriter control;
    private final String reportBaseUrl;
    private final Clock clock;
    private final HttpClient http;
    private final ThreadPoolExecutor worker;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong notified = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param control where block and throttle commands go; required when the policy has any
     * @param reportBaseUrl the collector's address, for links in notifications, or {@code null}
     */
    public ResponseEngine(
            ResponsePolicy policy, ControlQueueWriter control, String reportBaseUrl, Clock clock) {
        if (policy.controlsClients() && control == null) {
            throw new IllegalArgumentException(
                    "the response policy blocks or throttles clients: give --control-queue DIR");
        }
        this.policy = policy;
        this.control = control;
        this.reportBaseUrl = reportBaseUrl;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
        this.worker =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                        r -> {
                            Thread t = new Thread(r, "mlguard-respond");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public void changed(Incident before, Incident after) {
        for (ResponseRule rule : policy.rules()) {
            if (!rule.matches(after.type(), after.severity())) {
                continue;
            }
            boolean newlyMatched =
                    before == null || !rule.matches(before.type(), before.severity());
            if (newlyMatched) {
                for (String name : rule.notifiers()) {
                    Notifier n = policy.notifiers().get(name);
                    submit(() -> notify(n, after));
                }
            }
            if (rule.controlsClients()) {
                for (String client : newClients(newlyMatched ? null : before, after)) {
                    if (!policy.neverBlock().contains(client)) {
                        ControlRecord c = command(rule, client, after);
                        submit(() -> writeCommand(c));
                    }
                }
            }
        }
    }

    private static List<String> newClients(Incident before, Incident after) {
        if (before == null) {
            return after.clients();
        }
        Set<String> known = new HashSet<>(before.clients());
        List<String> fresh = new ArrayList<>();
        for (String c : after.clients()) {
            if (!known.contains(c)) {
                fresh.add(c);
            }
        }
        return fresh;
    }

    private ControlRecord command(ResponseRule rule, String client, Incident incident) {
        long now = clock.millis();
        ControlRecord c = new ControlRecord();
        c.timestampMillis = now;
        c.clientId = client;
        c.model = incident.model();
        if (rule.block() != null) {
            c.action = ControlRecord.Action.BLOCK;
            c.expiresAtMillis = now + rule.block().toMillis();
        } else {
            c.action = ControlRecord.Action.THROTTLE;
            c.ratePerSecond = rule.throttleRate();
            c.expiresAtMillis = now + rule.throttleFor().toMillis();
        }
        c.reason = incident.type().wireName() + " incident " + incident.id();
        c.issuedBy = ISSUER;
        return c;
    }

    private void submit(Runnable action) {
        try {
            worker.execute(action);
        } catch (RejectedExecutionException e) {
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("response queue full or closed: dropping actions (counted in /metrics)");
            }
        }
    }

    private void writeCommand(ControlRecord c) {
        try {
            control.write(c);
            commands.incrementAndGet();
            LOG.info("control command written: {}", c);
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("could not write control command {}: {}", c, e.toString());
        }
    }

    private void notify(Notifier n, Incident incident) {
        String link = reportBaseUrl == null ? null : reportBaseUrl + "/report";
        String body = NotificationBody.render(n.format(), incident, link);
        HttpRequest request =
                HttpRequest.newBuilder(n.url())
                        .timeout(HTTP_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                notified.incrementAndGet();
                return;
            }
            failed.incrementAndGet();
            LOG.warn(
                    "notifier '{}' answered HTTP {} for {}",
                    n.name(),
                    r.statusCode(),
                    incident.id());
        } catch (java.io.IOException e) {
            failed.incrementAndGet();
            LOG.warn("notifier '{}' unreachable for {}: {}", n.name(), incident.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Control commands written so far. */
    public long commandsWritten() {
        return commands.get();
    }

    /** Notifications delivered (answered 2xx). */
    public long notificationsSent() {
        return notified.get();
    }

    /** Commands and notifications that failed. */
    public long actionsFailed() {
        return failed.get();
    }

    /** Actions dropped because the response queue was full. */
    public long actionsDropped() {
        return dropped.get();
    }

    /** Finishes the queued actions (waiting up to a few seconds) and closes the control queue. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
        if (control != null) {
            control.close();
        }
    }
}
