package io.mlguard.core.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import org.junit.jupiter.api.Test;

/**
 * Without an OpenTelemetry agent in the JVM (as in this test), the trace context leaves records as
 * they are. With one, the forked-JVM test {@code OpenTelemetryAgentIT} checks what it adds.
 */
class TraceContextTest {
    @Test
    void withoutAnOpenTelemetryAgentRecordsAreLeftAlone() throws Throwable {
        TraceContext trace = new TraceContext("X-Client-Id");
        InferenceRecord r = new InferenceRecord();
        r.clientIdSource = ClientIdSource.REMOTE_ADDRESS;
        r.clientId = "192.0.2.1";
        for (int i = 0; i < 3; i++) {
            trace.describe(r);
        }
        assertThat(trace.present()).isFalse();
        assertThat(r.traceId).isNull();
        assertThat(r.spanId).isNull();
        assertThat(r.clientIdSource).isEqualTo(ClientIdSource.REMOTE_ADDRESS);
        assertThat(r.clientId).isEqualTo("192.0.2.1");
    }

    @Test
    void findsNothingWhenNoAgentPutItsApiOnTheBootstrapLoader() {
        assertThat(OtelSpans.find("X-Client-Id")).isNull();
    }
}
