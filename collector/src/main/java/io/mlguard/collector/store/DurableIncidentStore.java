package io.mlguard.collector.store;

import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incidents in memory (readers never touch the database) plus the ids changed since the last
 * commit, which {@link StoreCheckpoint} writes in the next transaction. Memory holds at most the
 * incident manager's cap, so a full copy is cheap; the database is only read at start.
 */
public final class DurableIncidentStore implements IncidentStore {
    private final InMemoryIncidentStore memory = new InMemoryIncidentStore();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    // An incident opened since the last capture: the checkpoint commits it without waiting for
    // a full batch, so it is durable soon after the API shows it.
    private volatile boolean opened;

    /** Fills memory with stored incidents, without marking them changed. */
    void load(List<Incident> stored) {
        stored.forEach(memory::put);
    }

    @Override
    public void put(Incident incident) {
        boolean isNew = memory.get(incident.id()).isEmpty();
        memory.put(incident);
        dirty.add(incident.id());
        if (isNew) {
            opened = true;
        }
    }

    /** Whether an incident has opened since {@link #clearOpened()}. */
    boolean opened() {
        return opened;
    }

    void clearOpened() {
        opened = false;
    }

    @Override
    public Optional<Incident> get(String id) {
        return memory.get(id);
    }

    @Override
    public boolean remove(String id) {
        boolean removed = memory.remove(id);
        if (removed) {
            dirty.add(id);
        }
        return removed;
    }

    @Override
    public List<Incident> list() {
        return memory.list();
    }

    @Override
    public int size() {
        return memory.size();
    }

    @Override
    public long version() {
        return memory.version();
    }

    /** Takes the changed ids; the caller gives them back with {@link #undrain} if it fails. */
    Set<String> drainDirty() {
        Set<String> taken = ConcurrentHashMap.newKeySet();
        for (String id : dirty) {
            dirty.remove(id);
            taken.add(id);
        }
        return taken;
    }

    boolean hasDirty() {
        return !dirty.isEmpty();
    }

    void undrain(Set<String> ids) {
        dirty.addAll(ids);
    }
}
