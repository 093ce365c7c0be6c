package io.mlguard.core.request;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a client identity with a keyed hash before it is written, so that the queue (and the
 * collector, its store and its reports) never hold a raw address or header value: {@code p:} and
 * the first 16 bytes of HMAC-SHA256(key, id) in lower-case hex. The same id gives the same
 * pseudonym under the same key, so per-client detection works unchanged; without the key it cannot
 * be reversed or recomputed for a guessed id. Class loader: agent. Called once per request.
 */
public final class ClientIdPseudonymiser {
    public static final String PREFIX = "p:";
    private static final int BYTES = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public ClientIdPseudonymiser(byte[] keyBytes) {
        if (keyBytes == null || keyBytes.length < 16) {
            throw new IllegalArgumentException("the client id key must be at least 16 bytes long");
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac(); // fail now, at start, if the JDK lacks HmacSHA256
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e, e);
        }
    }

    /** The pseudonym of {@code id}; {@code null} stays {@code null}. */
    public String pseudonym(String id) {
        if (id == null) {
            return null;
        }
        byte[] h = macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[PREFIX.length() + 2 * BYTES];
        out[0] = 'p';
        out[1] = ':';
        for (int i = 0; i < BYTES; i++) {
            out[2 + 2 * i] = HEX[(h[i] >> 4) & 0xf];
            out[3 + 2 * i] = HEX[h[i] & 0xf];
        }
        return new String(out);
    }
}
