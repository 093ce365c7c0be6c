package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** The serving thread's ring to the queue's writer thread: bytes out as they went in, in order. */
class RecordRingTest {

    /** A record's bytes in an array longer than the record, as the agent's encoder leaves them. */
    private static byte[] record(int seq, int len) {
        byte[] b = new byte[len + 5];
        java.util.Arrays.fill(b, (byte) 0x55);
        System.arraycopy(expected(seq, len), 0, b, 0, len);
        return b;
    }

    private static boolean offer(RecordRing ring, int seq, int len) {
        return ring.offer(record(seq, len), len);
    }

    private static byte[] expected(int seq, int len) {
        byte[] e = new byte[len];
        for (int i = 0; i < len; i++) {
            e[i] = (byte) (seq * 31 + i);
        }
        return e;
    }

    private static byte[] take(RecordRing ring) {
        int len = ring.nextLength();
        assertThat(len).isNotNegative();
        Bytes<byte[]> out = Bytes.allocateElasticOnHeap(len);
        ring.take(out);
        assertThat(out.readRemaining()).isEqualTo(len);
        return out.toByteArray();
    }

    @Test
    void recordsComeOutWholeAndInOrderAcrossManyWrapArounds() {
        RecordRing ring = new RecordRing(256, Thread.currentThread());
        // lengths not multiples of 4 and not dividing the capacity: records and lengths land
        // everywhere in the array, bytes split across its end
        int[] lengths = {1, 7, 50, 0, 99, 13, 230, 3};
        for (int seq = 0; seq < 400; seq++) {
            int len = lengths[seq % lengths.length];
            assertThat(offer(ring, seq, len)).isTrue();
            assertThat(ring.isEmpty()).isFalse();
            assertThat(take(ring)).isEqualTo(expected(seq, len));
            assertThat(ring.isEmpty()).isTrue();
            assertThat(ring.nextLength()).isEqualTo(-1);
        }
    }

    @Test
    void aFullRingRefusesUntilRoomIsFreedAndLosesNothing() {
        RecordRing ring = new RecordRing(256, Thread.currentThread());
        int accepted = 0;
        while (offer(ring, accepted, 40)) { // 44 bytes each
            accepted++;
        }
        assertThat(accepted).isEqualTo(5); // 220 bytes taken, 36 left
        assertThat(ring.free()).isEqualTo(36);
        assertThat(RecordRing.room(40)).isEqualTo(44);
        assertThat(RecordRing.room(32)).isEqualTo(36);
        assertThat(offer(ring, accepted, 40)).isFalse();
        assertThat(offer(ring, accepted, 32)).isTrue(); // 4 + 32: exactly what is left
        assertThat(offer(ring, 99, 0)).isFalse(); // not even a length fits
        assertThat(take(ring)).isEqualTo(expected(0, 40));
        assertThat(offer(ring, accepted + 1, 40)).isTrue(); // room again, wrapping
        for (int seq = 1; seq < accepted; seq++) {
            assertThat(take(ring)).isEqualTo(expected(seq, 40));
        }
        assertThat(take(ring)).isEqualTo(expected(accepted, 32));
        assertThat(take(ring)).isEqualTo(expected(accepted + 1, 40));
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void aRecordLargerThanTheRingIsRefusedAndDroppingFreesRoom() {
        RecordRing ring = new RecordRing(64, Thread.currentThread());
        assertThat(offer(ring, 0, 61)).isFalse();
        assertThat(offer(ring, 0, 60)).isTrue(); // 4 + 60: the whole ring
        assertThat(offer(ring, 1, 0)).isFalse();
        assertThat(ring.nextLength()).isEqualTo(60);
        ring.take(null); // dropped
        assertThat(ring.isEmpty()).isTrue();
        assertThat(offer(ring, 1, 5)).isTrue();
        assertThat(take(ring)).isEqualTo(expected(1, 5));
        assertThatThrownBy(() -> new RecordRing(100, Thread.currentThread()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConsumerOnAnotherThreadReadsEveryRecordInOrder() throws Exception {
        RecordRing ring = new RecordRing(256, Thread.currentThread());
        int n = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Integer> badAt = new ArrayList<>();
        Thread consumer =
                new Thread(
                        () -> {
                            try {
                                Bytes<byte[]> out = Bytes.allocateElasticOnHeap(256);
                                int seq = 0;
                                while (seq < n) {
                                    synchronized (ring) {
                                        int len = ring.nextLength();
                                        if (len < 0) {
                                            Thread.onSpinWait();
                                            continue;
                                        }
                                        out.clear();
                                        ring.take(out);
                                        byte[] got = out.toByteArray();
                                        if (!java.util.Arrays.equals(
                                                got, expected(seq, seq % 97))) {
                                            badAt.add(seq);
                                        }
                                        seq++;
                                    }
                                }
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
        consumer.start();
        for (int seq = 0; seq < n; seq++) {
            byte[] src = record(seq, seq % 97);
            while (!ring.offer(src, seq % 97)) { // full: the consumer frees room
                Thread.onSpinWait();
            }
        }
        consumer.join(60_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(badAt).isEmpty();
        assertThat(ring.isEmpty()).isTrue();
    }
}
