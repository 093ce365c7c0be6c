package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.core.summary.ShrinkWindow;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A capture slot carries the whole header of a record; the ring hands slots over in order. */
class CaptureRingTest {
    /** Fields the summaries fill (in the summary thread): not part of the header. */
    private static final Set<String> SUMMARISED =
            Set.of(
                    "batchSize",
                    "inputCount",
                    "outputCount",
                    "fingerprintKind",
                    "fingerprintLength",
                    "featureCount");

    @Test
    void aSlotCarriesEveryFieldOfTheRecordThatTheSummariesDoNotFill() throws Exception {
        InferenceRecord from = new InferenceRecord();
        int n = 0;
        for (Field f : InferenceRecord.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    || Modifier.isFinal(f.getModifiers())
                    || SUMMARISED.contains(f.getName())) {
                continue;
            }
            n++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(from, f.getName() + "-value");
            } else if (t == long.class) {
                f.setLong(from, 1000L + n);
            } else if (t == Outcome.class) {
                f.set(from, Outcome.ERROR);
            } else if (t == ClientIdSource.class) {
                f.set(from, ClientIdSource.HEADER);
            } else {
                throw new AssertionError(
                        "a new record field of type "
                                + t
                                + ": "
                                + f.getName()
                                + " (extend the"
                                + " capture slot's header and this test)");
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(13);
        CaptureRing.Slot slot = new CaptureRing.Slot();
        slot.takeHeader(from);
        InferenceRecord to = new InferenceRecord();
        to.inputCount = 1; // left from the last record the consumer wrote: cleared
        slot.putHeader(to);
        assertThat(to.inputCount).isZero();
        for (Field f : InferenceRecord.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())
                    && !Modifier.isFinal(f.getModifiers())
                    && !SUMMARISED.contains(f.getName())) {
                assertThat(f.get(to)).as(f.getName()).isEqualTo(f.get(from));
            }
        }
        // the next capture of the slot, of a request with no client, trace or error: nothing of
        // the last one is left in its header (the slot keeps its strings until then)
        InferenceRecord next = new InferenceRecord();
        next.agentId = from.agentId;
        next.runtime = "other-runtime";
        next.modelId = "other-model";
        slot.takeHeader(next);
        InferenceRecord again = new InferenceRecord();
        slot.putHeader(again);
        for (Field f : InferenceRecord.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())
                    && !Modifier.isFinal(f.getModifiers())
                    && !SUMMARISED.contains(f.getName())) {
                assertThat(f.get(again)).as(f.getName()).isEqualTo(f.get(next));
            }
        }
        assertThat(again.clientId).isNull();
        assertThat(again.modelId).isEqualTo("other-model");
    }

    @Test
    void slotsComeBackInOrderAndAFullRingRefusesMore() {
        CaptureRing ring = new CaptureRing(4, 64 * 1024, Thread.currentThread());
        CaptureRing.Slot[] claimed = new CaptureRing.Slot[4];
        for (int i = 0; i < 4; i++) {
            claimed[i] = ring.claim();
            assertThat(claimed[i]).isNotNull();
            assertThat(ring.current()).isSameAs(claimed[i]);
            ring.publish();
        }
        assertThat(ring.handedOver()).isEqualTo(4);
        assertThat(ring.claim()).as("full").isNull();
        assertThat(ring.peek()).isSameAs(claimed[0]);
        ring.release(ring.peek());
        assertThat(ring.peek()).isSameAs(claimed[1]);
        assertThat(ring.claim()).as("the freed slot, again").isSameAs(claimed[0]);
        assertThat(ring.isEmpty()).isFalse();
        for (int i = 1; i < 4; i++) {
            ring.release(ring.peek());
        }
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.peek()).isNull();
    }

    @Test
    void aRingIsAPowerOfTwo() {
        assertThatThrownBy(() -> new CaptureRing(3, 1024, Thread.currentThread()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }

    @Test
    void aRingFoundFullGrowsAtOnceUpToItsMostAndShrinksBackAfterQuietWindows() throws Exception {
        CaptureRing ring = new CaptureRing(1024, 64 * 1024, Thread.currentThread(), 0, null);
        assertThat(ring.capacity()).isEqualTo(CaptureRing.INITIAL_SLOTS);
        // the consumer takes none: the ring doubles each time it is found full, its waiting slots
        // kept in the order they were published, up to its most
        List<CaptureRing.Slot> published = new ArrayList<>();
        List<Integer> capacities = new ArrayList<>();
        for (CaptureRing.Slot s = ring.claim(); s != null; s = ring.claim()) {
            // what staging copies into until publish, whatever the ring's size now
            assertThat(ring.current()).isSameAs(s);
            assertThat(published).as("a slot still waiting is never handed out").doesNotContain(s);
            ring.publish();
            published.add(s);
            if (capacities.isEmpty() || capacities.get(capacities.size() - 1) != ring.capacity()) {
                capacities.add(ring.capacity());
            }
        }
        assertThat(capacities).containsExactly(64, 128, 256, 512, 1024);
        assertThat(published).hasSize(1024);
        assertThat(ring.claim()).as("full at its most").isNull();
        // the consumer, once it comes, finds every capture in order; freed slots are reused
        for (int i = 0; i < 10; i++) {
            assertThat(ring.peek()).isSameAs(published.get(i));
            ring.release(ring.peek());
        }
        for (int i = 0; i < 10; i++) {
            assertThat(ring.claim()).as("a freed slot, again").isSameAs(published.get(i));
            ring.publish();
        }
        for (int i = 10; i < 1024 + 10; i++) {
            assertThat(ring.peek()).isSameAs(published.get(i % 1024));
            ring.release(ring.peek());
        }
        assertThat(ring.isEmpty()).isTrue();

        // a ring found full while the consumer is part way through it grows just the same
        CaptureRing half = new CaptureRing(256, 64 * 1024, Thread.currentThread());
        List<CaptureRing.Slot> order = new ArrayList<>();
        for (int i = 0; i < 64 + 40; i++) {
            CaptureRing.Slot s = half.claim();
            assertThat(s).as("below its most, never refused").isNotNull();
            order.add(s);
            half.publish();
            if (i == 63) {
                for (int k = 0; k < 30; k++) {
                    assertThat(half.peek()).isSameAs(order.get(k));
                    half.release(half.peek());
                }
            }
        }
        // found full at capture 94, the 30 freed slots reused: it grew with 64 waiting
        assertThat(half.capacity()).isEqualTo(128);
        for (int k = 30; k < order.size(); k++) {
            assertThat(half.peek()).as("capture %d", k).isSameAs(order.get(k));
            half.release(half.peek());
        }
        assertThat(half.peek()).isNull();

        // two waiting at most: once a window has passed without the ring a quarter full, it
        // halves at the end of each window, down to where it started
        List<Integer> sizes = new ArrayList<>();
        for (int window = 0; window < 8; window++) {
            for (int i = 0; i < ShrinkWindow.CAPTURES; i++) {
                assertThat(ring.claim()).isNotNull();
                ring.publish();
                if (i % 2 == 1) {
                    ring.release(ring.peek());
                    ring.release(ring.peek());
                }
            }
            sizes.add(ring.capacity());
        }
        assertThat(sizes).as("one halving per window").containsSubsequence(1024, 512, 256, 128, 64);
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(CaptureRing.INITIAL_SLOTS);
        for (int i = 1; i < sizes.size(); i++) {
            assertThat(sizes.get(i)).isIn(sizes.get(i - 1), sizes.get(i - 1) / 2, 64);
        }

        // with windows of 10 s, a few thousand quiet captures do not shrink it
        CaptureRing slow = new CaptureRing(1024, 64 * 1024, Thread.currentThread());
        while (slow.claim() != null) {
            slow.publish();
        }
        while (!slow.isEmpty()) {
            slow.release(slow.peek());
        }
        assertThat(slow.claim()).isNotNull();
        assertThat(slow.capacity()).isEqualTo(1024);
        for (int i = 0; i < 3 * ShrinkWindow.CAPTURES; i++) {
            slow.publish();
            slow.release(slow.peek());
            slow.claim();
        }
        assertThat(slow.capacity()).isEqualTo(1024);

        // a growth starts a new window: a ring grown after a long quiet time is not halved at
        // once
        long[] clock = {0};
        CaptureRing late =
                new CaptureRing(
                        1024, 64 * 1024, Thread.currentThread(), 1_000_000_000L, () -> clock[0]);
        clock[0] += 5_000_000_000L; // the first window (1 s) is long over
        for (int i = 0; i <= CaptureRing.INITIAL_SLOTS; i++) { // one more than it holds
            assertThat(late.claim()).isNotNull();
            late.publish();
        }
        assertThat(late.capacity()).isEqualTo(128);
        while (!late.isEmpty()) {
            late.release(late.peek());
        }
        for (int i = 0; i < 2 * ShrinkWindow.CAPTURES; i++) {
            late.claim();
            late.publish();
            late.release(late.peek());
        }
        assertThat(late.capacity()).as("grown, within its window").isEqualTo(128);

        // a ring of at most 16 starts with 16 and never grows
        CaptureRing small = new CaptureRing(16, 64 * 1024, Thread.currentThread());
        int held = 0;
        while (small.claim() != null) {
            small.publish();
            held++;
        }
        assertThat(held).isEqualTo(16);
        while (!small.isEmpty()) {
            small.release(small.peek());
        }
        assertThat(small.claim()).isNotNull();
        assertThat(small.capacity()).isEqualTo(16);
    }

    @Test
    void aConsumerOnAnotherThreadTakesEveryCaptureInOrderWhileTheRingGrowsAndShrinks()
            throws Exception {
        CaptureRing ring = new CaptureRing(1024, 64 * 1024, Thread.currentThread());
        int n = 300_000;
        long[] seen = new long[n];
        int[] taken = new int[1];
        Thread consumer =
                new Thread(
                        () -> {
                            InferenceRecord r = new InferenceRecord();
                            java.util.Random rnd = new java.util.Random(3);
                            while (taken[0] < n) {
                                CaptureRing.Slot s;
                                synchronized (ring) {
                                    s = ring.peek();
                                    if (s != null) {
                                        s.putHeader(r);
                                        seen[taken[0]++] = r.latencyNanos;
                                        ring.release(s);
                                    }
                                }
                                if (s == null || rnd.nextInt(20_000) == 0) {
                                    // held up now and then: the ring fills and grows
                                    java.util.concurrent.locks.LockSupport.parkNanos(
                                            rnd.nextInt(2_000_000));
                                }
                            }
                        });
        consumer.start();
        InferenceRecord header = new InferenceRecord();
        int maxSeen = 0;
        for (int i = 0; i < n; i++) {
            CaptureRing.Slot s;
            while ((s = ring.claim()) == null) {
                Thread.onSpinWait();
            }
            header.latencyNanos = i;
            s.takeHeader(header);
            ring.publish();
            maxSeen = Math.max(maxSeen, ring.capacity());
        }
        consumer.join(60_000);
        assertThat(consumer.isAlive()).isFalse();
        for (int i = 0; i < n; i++) {
            if (seen[i] != i) {
                throw new AssertionError("capture " + i + " came as " + seen[i]);
            }
        }
        assertThat(maxSeen).as("grew while the consumer was held up").isGreaterThan(64);
    }
}
