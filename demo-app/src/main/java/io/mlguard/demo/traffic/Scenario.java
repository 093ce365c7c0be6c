package io.mlguard.demo.traffic;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the traffic generator plays; on the command line in lower case with dashes. */
public enum Scenario {
    /** Five well-behaved clients sending held-out digits. */
    BENIGN,
    /** Five harmless clients that retry, resubmit and send bursts of near-identical frames. */
    BENIGN_REALISTIC,
    /** One client sending digits with NaN and infinite pixels. */
    NAN,
    /** The model file is replaced on disk and reloaded, then a benign client carries on. */
    SWAP,
    /** Targeted HopSkipJump, label-only, against mnist. */
    HOPSKIPJUMP,
    /** The Boundary attack, label-only, against mnist. */
    BOUNDARY,
    /** The Square attack, score-based (L-infinity), against mnist. */
    SQUARE,
    /** NES gradient estimation from probabilities, score-based (L-infinity), against mnist. */
    NES,
    /** Model extraction with Jacobian-based augmentation, against mnist. */
    EXTRACTION,
    /** Held-out digits rotated by a growing angle. */
    DRIFT_ROTATE,
    /** Held-out digits with growing Gaussian noise. */
    DRIFT_NOISE,
    /** Held-out digits, 80 % of them one digit. */
    DRIFT_CLASSMIX,
    /** Credit applicants with growing amounts and lower ages, against credit. */
    DRIFT_CREDIT,
    /** Benign, then NaN, then swap, then a little more benign traffic. */
    ALL;

    /** The command-line name, e.g. {@code drift-rotate}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line value such as {@code drift-noise}. */
    public static Scenario parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String names =
                    Arrays.stream(values())
                            .map(Scenario::cliName)
                            .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    "unknown scenario '" + value + "' (expected one of " + names + ")", e);
        }
    }
}
