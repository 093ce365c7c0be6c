package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

class ControlRecordTest {
    @Test
    void roundTrips() {
        ControlRecord c = new ControlRecord();
        c.timestampMillis = 10;
        c.action = ControlRecord.Action.THROTTLE;
        c.clientId = "mallory";
        c.model = "mnist";
        c.expiresAtMillis = 99;
        c.ratePerSecond = 2.5;
        c.reason = "query_attack inc-1";
        c.issuedBy = "collector";
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        c.writeTo(b);
        ControlRecord back = (ControlRecord) Records.read(b);
        assertThat(back.toString()).isEqualTo(c.toString());
        assertThat(back.issuedBy).isEqualTo("collector");
        assertThat(back.ratePerSecond).isEqualTo(2.5);
    }

    @Test
    void aSampleCommandCarriesItsRecordEveryInTheSameLayout() {
        ControlRecord c = new ControlRecord();
        c.timestampMillis = 10;
        c.action = ControlRecord.Action.SAMPLE;
        c.clientId = ControlRecord.EVERY_CLIENT;
        c.expiresAtMillis = 99;
        c.recordEvery = 8;
        c.ratePerSecond = 3; // not written: a sample command has no rate
        c.reason = "operator";
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        c.writeTo(b);
        long size = b.readRemaining();
        ControlRecord back = (ControlRecord) Records.read(b);
        assertThat(back.action).isEqualTo(ControlRecord.Action.SAMPLE);
        assertThat(back.recordEvery).isEqualTo(8);
        assertThat(back.ratePerSecond).isZero();
        assertThat(back.clientId).isEqualTo("*");
        assertThat(back.toString()).contains("recordEvery=8");

        // the same bytes as a throttle of the same fields, but for the action: version 1's layout
        c.action = ControlRecord.Action.THROTTLE;
        c.ratePerSecond = 8;
        Bytes<?> t = Bytes.allocateElasticOnHeap();
        c.writeTo(t);
        assertThat(t.readRemaining()).isEqualTo(size);
    }

    @Test
    void aSampleCommandMustRecordAWholeNumberFromOneUp() {
        for (int every : new int[] {0, -3, ControlRecord.MAX_RECORD_EVERY + 1}) {
            ControlRecord c = new ControlRecord();
            c.action = ControlRecord.Action.SAMPLE;
            c.clientId = "x";
            c.recordEvery = every;
            Bytes<?> b = Bytes.allocateElasticOnHeap();
            c.writeTo(b);
            assertThatThrownBy(() -> Records.read(b))
                    .as("%d", every)
                    .isInstanceOf(RecordFormatException.class)
                    .hasMessageContaining("a whole number from 1");
        }
    }

    @Test
    void commandsThatCannotBeObeyedAreFormatErrors() {
        ControlRecord c = new ControlRecord();
        c.action = ControlRecord.Action.THROTTLE;
        c.clientId = "x";
        c.ratePerSecond = 0;
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        c.writeTo(b);
        assertThatThrownBy(() -> Records.read(b)).hasMessageContaining("throttle with rate 0.0");

        c.action = ControlRecord.Action.BLOCK;
        c.clientId = null;
        Bytes<?> b2 = Bytes.allocateElasticOnHeap();
        c.writeTo(b2);
        assertThatThrownBy(() -> Records.read(b2)).hasMessageContaining("without a client id");
    }
}
