package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
        // the slot lets go of the strings it held
        InferenceRecord again = new InferenceRecord();
        slot.putHeader(again);
        assertThat(again.clientId).isNull();
        assertThat(again.modelId).isNull();
    }

    @Test
    void slotsComeBackInOrderAndAFullRingRefusesMore() {
        CaptureRing ring = new CaptureRing(4, 64 * 1024, Thread.currentThread());
        CaptureRing.Slot[] claimed = new CaptureRing.Slot[4];
        for (int i = 0; i < 4; i++) {
            claimed[i] = ring.claim();
            assertThat(claimed[i]).isNotNull();
            ring.publish();
        }
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
}
