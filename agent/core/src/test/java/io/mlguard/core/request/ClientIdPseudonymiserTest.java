package io.mlguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientIdPseudonymiserTest {
    @Test
    void isTheTruncatedHmacSha256OfRfc4231() {
        // RFC 4231 test case 1: key 0x0b * 20, data "Hi There"
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        assertThat(new ClientIdPseudonymiser(key).pseudonym("Hi There"))
                .isEqualTo("p:b0344c61d8db38535ca8afceaf0bf12b");
    }

    @Test
    void sameIdSameKeySamePseudonymOtherKeyOtherPseudonym() {
        ClientIdPseudonymiser a = new ClientIdPseudonymiser(bytes("key-a-0123456789"));
        ClientIdPseudonymiser b = new ClientIdPseudonymiser(bytes("key-b-0123456789"));
        assertThat(a.pseudonym("203.0.113.3")).isEqualTo(a.pseudonym("203.0.113.3"));
        assertThat(a.pseudonym("203.0.113.3")).isNotEqualTo(a.pseudonym("203.0.113.4"));
        assertThat(a.pseudonym("203.0.113.3")).isNotEqualTo(b.pseudonym("203.0.113.3"));
        assertThat(a.pseudonym("203.0.113.3")).matches("p:[0-9a-f]{32}").doesNotContain("203.0");
        assertThat(a.pseudonym(null)).isNull();
    }

    @Test
    void refusesAShortKey() {
        assertThatThrownBy(() -> new ClientIdPseudonymiser(bytes("short")))
                .hasMessageContaining("at least 16 bytes");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
