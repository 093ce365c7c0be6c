package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ClientIdsTest {
    @Test
    void pathsLoseTheirQueryFragmentAndAuthority() {
        assertThat(ClientIds.path("/v2/models/m/infer")).isEqualTo("/v2/models/m/infer");
        assertThat(ClientIds.path("/infer?x=1&y=http://a/b")).isEqualTo("/infer");
        assertThat(ClientIds.path("/a#frag")).isEqualTo("/a");
        assertThat(ClientIds.path("http://host:8080/p/q?z")).isEqualTo("/p/q");
        assertThat(ClientIds.path("http://host")).isEqualTo("/");
        assertThat(ClientIds.path(null)).isNull();
    }

    @Test
    void addressesAreIpsWithoutPorts() {
        assertThat(ClientIds.address(new InetSocketAddress("127.0.0.1", 4242)))
                .isEqualTo("127.0.0.1");
        assertThat(ClientIds.address(InetSocketAddress.createUnresolved("proxy", 1)))
                .isEqualTo("proxy");
        assertThat(ClientIds.address(null)).isNull();
    }
}
