package io.mlguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.RequestAdapter;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A request is resolved once, the outermost wins, and a carried context stands in for it. */
class RequestAttributionTest {
    final AtomicInteger resolved = new AtomicInteger();

    /** Requests are strings "client path"; only strings count as requests. */
    final RequestAdapter adapter =
            new RequestAdapter() {
                @Override
                public boolean isRequest(Object message) {
                    return message instanceof String;
                }

                @Override
                public RequestContext resolve(Object request, Object connection, String header) {
                    resolved.incrementAndGet();
                    String[] parts = ((String) request).split(" ");
                    return new RequestContext(
                            connection == null
                                    ? ClientIdSource.HEADER
                                    : ClientIdSource.REMOTE_ADDRESS,
                            parts[0],
                            parts[1]);
                }

                @Override
                public void describe(Object request, String header, InferenceRecord record) {}

                @Override
                public String clientId(Object request, String header) {
                    return null;
                }
            };

    @Test
    void resolvedOncePerRequestOutermostWinsClearedOnExit() {
        RequestAttribution a = new RequestAttribution(new RequestAdapter[] {adapter}, "X", null);
        assertThat(a.current()).isNull();
        a.enter(0, "alice /outer", null);
        a.enter(0, "bob /inner", null);
        assertThat(a.current().clientId).isEqualTo("alice");
        assertThat(a.current().path).isEqualTo("/outer");
        a.exit(0);
        assertThat(a.current().clientId).isEqualTo("alice");
        assertThat(resolved).hasValue(1);
        a.exit(0);
        assertThat(a.current()).isNull();
        a.enter(0, "carol /next", null);
        assertThat(a.current().clientId).isEqualTo("carol");
        assertThat(resolved).hasValue(2);
        a.exit(0);
    }

    @Test
    void onlyRequestMessagesEnter() {
        RequestAttribution a = new RequestAttribution(new RequestAdapter[] {adapter}, "X", null);
        assertThat(a.enterMessage(0, 42, "conn")).isFalse();
        assertThat(a.current()).isNull();
        assertThat(a.enterMessage(0, "dave /p", "conn")).isTrue();
        assertThat(a.current().source).isEqualTo(ClientIdSource.REMOTE_ADDRESS);
        a.exit(0);
        assertThat(a.enterMessage(5, "dave /p", "conn")).as("unknown server").isFalse();
    }

    @Test
    void aCarriedContextAppliesOutsideARequestAndIsRestored() throws Exception {
        RequestAttribution a = new RequestAttribution(new RequestAdapter[] {adapter}, "X", null);
        a.enter(0, "erin /work", null);
        RequestContext captured = a.current();
        a.exit(0);
        RequestContext[] seen = new RequestContext[2];
        Thread worker =
                new Thread(
                        () -> {
                            RequestContext previous = a.attach(captured);
                            seen[0] = a.current();
                            a.detach(previous);
                            seen[1] = a.current();
                        });
        worker.start();
        worker.join();
        assertThat(seen[0]).isSameAs(captured);
        assertThat(seen[1]).isNull();
        assertThat(resolved).hasValue(1);
    }

    @Test
    void pseudonymisedBeforeAnyoneSeesIt() {
        ClientIdPseudonymiser p =
                new ClientIdPseudonymiser("a-key-of-16-bytes".getBytes(StandardCharsets.UTF_8));
        RequestAttribution a = new RequestAttribution(new RequestAdapter[] {adapter}, "X", p);
        a.enter(0, "frank /x", null);
        RequestContext c = a.current();
        a.exit(0);
        assertThat(c.clientId).isEqualTo(p.pseudonym("frank")).startsWith("p:");
        assertThat(c.source).isEqualTo(ClientIdSource.HEADER);
        assertThat(c.path).isEqualTo("/x");
    }
}
