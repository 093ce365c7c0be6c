package io.mlguard.demo;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON configuration shared by the server and the traffic generator. */
public final class Json {
    /**
     * Reads and writes {@code NaN}, {@code Infinity} and {@code -Infinity} as bare number tokens:
     * clients do send them, and the model must see exactly what was sent rather than a parse error
     * or a quoted string.
     */
    public static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .build();

    private Json() {}
}
