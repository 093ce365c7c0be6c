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
