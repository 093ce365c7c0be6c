package io.mlguard.collector.api;

import com.sun.net.httpserver.HttpExchange;
import io.mlguard.collector.config.ApiToken;

/**
 * Guards mutating calls: {@code Authorization: Bearer <token>} must match the configured token (401
 * otherwise); with no token configured every mutating call is refused (403), so a collector started
 * without one can never be changed over HTTP.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";

    private final ApiToken token;

    /**
     * @param token the configured token, or {@code null} for none
     */
    BearerAuth(ApiToken token) {
        this.token = token;
    }

    /** Returns normally when allowed; otherwise throws the {@link HttpError} to send. */
    void check(HttpExchange ex) {
        if (token == null) {
            throw new HttpError(
                    403,
                    "mutating calls are disabled: start the collector with --api-token-file FILE"
                            + " or MLGUARD_API_TOKEN to enable them");
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null
                || header.length() < PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mlguard\"");
            throw new HttpError(401, "missing bearer token (Authorization: Bearer <token>)");
        }
        if (!token.matches(header.substring(PREFIX.length()).trim())) {
            ex.getResponseHeaders()
                    .set("WWW-Authenticate", "Bearer realm=\"mlguard\", error=\"invalid_token\"");
            throw new HttpError(401, "invalid bearer token");
        }
    }
}
