package io.mlguard.collector.incident;

import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalSink;
import io.mlguard.collector.explain.Explainer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups signals into incidents. Signals with the same grouping key (type, model and, for
 * per-client types, client) join the open incident of that key unless it has been quiet for longer
 * than the window in record time; then a new incident opens. Ids are derived from the key and the
 * first signal's queue index, so replaying a queue yields the same ids.
 *
 * <p>Memory is bounded: past {@code maxIncidents}, the least recently active closed incidents are
 * dropped (open ones only if too few are closed), and drops are counted.
 */
public final class IncidentManager implements SignalSink {
    /** The default quiet time after which a group closes. */
    public static final Duration DEFAULT_QUIET_WINDOW = Duration.ofMinutes(10);

    /** The default number of incidents kept. */
    public static final int DEFAULT_MAX_INCIDENTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(IncidentManager.class);

    private final IncidentStore store;
    private final Explainer explainer;
    private final Clock clock;
    private final long quietMillis;
    private final int maxIncidents;
    private final Map<String, String> openIdByKey = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private long latestRecordTime = Long.MIN_VALUE;
    private IncidentObserver observer = IncidentObserver.NONE;

    public IncidentManager(
            IncidentStore store,
            Explainer explainer,
            Clock clock,
            Duration quietWindow,
            int maxIncidents) {
        if (maxIncidents < 1) {
            throw new IllegalArgumentException("maxIncidents must be at least 1");
        }
        this.store = store;
        this.explainer = explainer;
        this.clock = clock;
        this.quietMillis = quietWindow.toMillis();
        this.maxIncidents = maxIncidents;
    }

    @Override
    public synchronized void accept(Signal s) {
        latestRecordTime = Math.max(latestRecordTime, s.timestampMillis());
        String key = groupKey(s);
        long now = clock.millis();
        String openId = openIdByKey.get(key);
        Incident current = openId == null ? null : store.get(openId).orElse(null);
        Incident updated;
        Incident before = null;
        // Records from several server threads can arrive slightly out of time order: a signal
        // older than lastSeen still belongs to the open group.
        if (current != null && s.timestampMillis() - current.lastSeen() <= quietMillis) {
            updated = current.with(s, now);
            before = current;
        } else {
            updated = Incident.open(incidentId(key, s.recordIndex()), key, s, now);
            openIdByKey.put(key, updated.id());
        }
        Incident explained = explained(updated);
        store.put(explained);
        enforceCap();
        try {
            observer.changed(before, explained);
        } catch (RuntimeException e) {
            LOG.warn("response to incident {} failed: {}", explained.id(), e.toString());
        }
    }

    /** Who is told of every incident change (the response engine); one observer at a time. */
    public synchronized void observe(IncidentObserver o) {
        observer = o == null ? IncidentObserver.NONE : o;
    }

    private Incident explained(Incident incident) {
        try {
            return incident.withExplanation(explainer.explain(incident));
        } catch (RuntimeException e) {
            // An explanation is a nicety: the incident itself must never be lost over it.
            LOG.warn("could not explain incident {}: {}", incident.id(), e.toString());
            return incident;
        }
    }

    private void enforceCap() {
        int size = store.size();
        if (size <= maxIncidents) {
            return;
        }
        // Evict 1% below the cap in one pass, so that a flood of new groups (an attacker rotating
        // client ids) costs one sort per hundred incidents rather than one per signal.
        int target = maxIncidents - maxIncidents / 100;
        List<Incident> all = store.list();
        all.sort(
                Comparator.comparing((Incident i) -> !isClosed(i))
                        .thenComparingLong(Incident::lastSeen)
                        .thenComparing(Incident::id));
        for (int k = 0; k < all.size() - target; k++) {
            Incident victim = all.get(k);
            if (store.remove(victim.id())) {
                openIdByKey.remove(victim.groupKey(), victim.id());
                dropped.incrementAndGet();
            }
        }
    }

    private boolean isClosed(Incident i) {
        return !i.id().equals(openIdByKey.get(i.groupKey()))
                || latestRecordTime - i.lastSeen() > quietMillis;
    }

    /** Which incident is open for each group key (a copy), for the durable store. */
    public synchronized Map<String, String> openGroups() {
        return new HashMap<>(openIdByKey);
    }

    /** The latest record time seen in a signal, for the durable store. */
    public synchronized long latestRecordTime() {
        return latestRecordTime;
    }

    /**
     * Puts back what {@link #openGroups()}, {@link #latestRecordTime()} and {@link
     * #droppedIncidents()} returned before a restart, so grouping goes on as if there had been
     * none. The incidents themselves are already in the store.
     */
    public synchronized void restore(
            Map<String, String> openGroups, long latestRecordTime, long droppedIncidents) {
        openIdByKey.clear();
        openIdByKey.putAll(openGroups);
        this.latestRecordTime = latestRecordTime;
        dropped.set(droppedIncidents);
    }

    /** How many incidents were dropped to keep within the cap. */
    public long droppedIncidents() {
        return dropped.get();
    }

    static String groupKey(Signal s) {
        String client = s.type().perClient() ? String.valueOf(s.client()) : "*";
        return s.type().wireName() + '|' + s.model() + '|' + client;
    }

    /** {@code inc-} and 16 hex digits of SHA-256(groupKey | first record index). */
    static String incidentId(String groupKey, long firstRecordIndex) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest =
                    sha.digest(
                            (groupKey + '|' + firstRecordIndex).getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
