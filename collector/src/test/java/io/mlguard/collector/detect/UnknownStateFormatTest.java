package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A state of a form the query-attack and extraction detectors do not read (a newer collector's) is
 * refused with {@link UnknownStateFormatException}, never restored as far as it is understood: they
 * read a missing client array as no clients, so an older collector given the entry-row header
 * ({@code {"entryRows":"clients","header":...}}) restored them without clients and said nothing.
 */
class UnknownStateFormatTest {
    @Test
    void formsNotUnderstoodAreRefusedAndLeaveTheDetectorAsItWas() {
        List<Detector> ds = FingerprintCheckpointTest.detectors();
        FingerprintCheckpointTest.feed(ds, 0, 3_000, new ArrayList<>());
        for (Detector d : ds) {
            Checkpointable c = (Checkpointable) d;
            String good = c.saveState();
            assertThat(DetectorStateJson.parse(good).path("clients").size())
                    .as(d.name())
                    .isPositive();
            String header = DetectorStateJson.withArray(good, "clients", List.of());
            List<String> bad = new ArrayList<>();
            // the store's entry-row header, read as a whole state
            bad.add("{\"entryRows\":\"clients\",\"header\":" + header + "}");
            bad.add("{\"clientsCodec\":\"zstd\"," + good.substring(1)); // a field not known
            bad.add(good.replace("\"clients\":[", "\"clientRows\":[")); // no client array
            bad.add("{}");
            if (d instanceof ExtractionDetector) {
                bad.add(good.replace("\"v\":2,", "\"v\":3,")); // a newer version
                bad.add(good.replace("\"v\":2,", "\"v\":\"2\","));
            } else {
                bad.add(good.substring(0, good.indexOf("\"models\":")) + "\"models\":[]}");
            }
            for (String b : bad) {
                assertThat(b).isNotEqualTo(good);
                assertThatThrownBy(() -> c.restoreState(b))
                        .as(d.name() + ": " + b.substring(0, Math.min(b.length(), 60)))
                        .isInstanceOf(UnknownStateFormatException.class)
                        .hasMessageContaining(d.name());
                assertThat(c.saveState()).as(d.name()).isEqualTo(good);
            }
            c.restoreState(good); // the forms it wrote still read
            assertThat(c.saveState()).isEqualTo(good);
        }
    }
}
