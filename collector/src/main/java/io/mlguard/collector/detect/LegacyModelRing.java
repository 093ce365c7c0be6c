package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the per-model state that checkpoints held before {@link NearDuplicateIndex}: a {@link
 * FingerprintRing} of the model's last 1,024 queries, in either of its two saved forms, and adds
 * its fingerprints oldest first to an index, with their owners and an unknown input digest (so an
 * identical fingerprint is a repeat, as it was then).
 */
final class LegacyModelRing {
    /** The ring's capacity in those checkpoints. */
    static final int CAPACITY = 1024;

    private LegacyModelRing() {}

    private static int limit(int length) {
        return (int) (QueryAttackDetector.NEAR_PER_CELL * length);
    }

    static void restoreInto(JsonNode ring, NearDuplicateIndex index) {
        List<byte[]> prints = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int next = ring.path("next").asInt();
        if (next < 0 || next >= CAPACITY) {
            throw new IllegalArgumentException("fingerprint ring state does not fit its ring");
        }
        if (ring.has("slots")) {
            for (JsonNode slot : ring.path("slots")) {
                prints.add(Base64.getDecoder().decode(slot.path(0).asText()));
                owners.add(slot.path(2).asInt());
            }
        } else {
            int size = ring.path("size").asInt();
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(ring.path("data").asText()));
            try {
                for (int s = 0; s < size; s++) {
                    byte[] f = new byte[b.get() & 0xff];
                    b.get(f);
                    prints.add(f);
                    owners.add(b.getInt());
                }
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("fingerprint ring state is truncated", e);
            }
        }
        if (prints.size() > CAPACITY) {
            throw new IllegalArgumentException("fingerprint ring state does not fit its ring");
        }
        int start = prints.size() == CAPACITY ? next : 0; // a full ring's oldest slot is next
        NearDuplicateIndex.Matches found = new NearDuplicateIndex.Matches(1);
        for (int k = 0; k < prints.size(); k++) {
            int s = (start + k) % prints.size();
            byte[] f = prints.get(s);
            if (f.length > FingerprintRing.MAX_LENGTH) {
                throw new IllegalArgumentException("fingerprint longer than 64");
            }
            // as if they arrived now: near-duplicates join entries as they would have
            index.scan(f, f.length, 0, owners.get(s), limit(f.length), found);
            index.addScanned(f, f.length, 0, owners.get(s), found);
        }
    }
}
