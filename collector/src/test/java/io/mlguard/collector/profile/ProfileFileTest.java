package io.mlguard.collector.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.TestTraffic;
import io.mlguard.protocol.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFileTest {
    @TempDir Path tmp;

    static ModelProfile sample() {
        ProfileBuilder b = new ProfileBuilder("mnist", 100);
        for (int i = 0; i < 100; i++) {
            var r =
                    TestTraffic.classified(
                            "mnist", "c", i, 0.1 + i / 1000.0, 0.3, i % 10, 0.9, 20_000 + i);
            if (i == 7) {
                r.outcome = Outcome.ERROR;
            }
            b.add(r);
        }
        assertThat(b.complete()).isTrue();
        return b.build();
    }

    @Test
    void roundTripsEverything() throws Exception {
        ModelProfile p = sample();
        Path file = tmp.resolve("sub/mnist.profile.json");
        ProfileFile.save(p, file);
        ModelProfile back = ProfileFile.load(file);
        assertThat(back.model()).isEqualTo("mnist");
        assertThat(back.records()).isEqualTo(100);
        assertThat(back.errors()).isEqualTo(1);
        assertThat(back.classCounts()).isEqualTo(p.classCounts());
        assertThat(back.classified()).isEqualTo(99);
        assertThat(back.statistics().keySet())
                .containsExactlyInAnyOrderElementsOf(p.statistics().keySet())
                .contains(
                        RecordStatistics.INPUT_MEAN,
                        RecordStatistics.CONFIDENCE,
                        RecordStatistics.LATENCY_MICROS);
        assertThat(back.statistic(RecordStatistics.INPUT_MEAN).quantiles())
                .isEqualTo(p.statistic(RecordStatistics.INPUT_MEAN).quantiles());
        assertThat(back.statistic(RecordStatistics.INPUT_MEAN).count()).isEqualTo(99);
        assertThat(Files.readString(file)).contains("\"version\" : 1");
    }

    @Test
    void anotherVersionIsAClearError() throws Exception {
        Path file = tmp.resolve("p.json");
        ProfileFile.save(sample(), file);
        Files.writeString(
                file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> ProfileFile.load(file))
                .isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("version 2 is not supported");
    }

    @Test
    void malformedFilesAreClearErrors() throws Exception {
        Path file = tmp.resolve("p.json");
        for (String bad :
                List.of(
                        "{not json",
                        "[1,2]",
                        "{\"model\":\"m\"}",
                        "{\"version\":1,\"model\":\"m\",\"records\":5,\"errors\":0,"
                                + "\"classCounts\":[1],\"statistics\":{}}",
                        "{\"version\":1,\"model\":\"m\",\"records\":-5,\"errors\":0,"
                                + "\"classCounts\":"
                                + zeros(64)
                                + ",\"statistics\":{}}",
                        "{\"version\":1,\"model\":\"m\",\"records\":5,\"errors\":0,"
                                + "\"classCounts\":"
                                + zeros(64)
                                + ",\"statistics\":{\"x\":{\"count\":3,\"quantiles\":[1,2]}}}")) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> ProfileFile.load(file))
                    .as(bad)
                    .isInstanceOf(ProfileFormatException.class)
                    .hasMessageStartingWith("");
        }
        Files.writeString(file, "[1,2]");
        assertThatThrownBy(() -> ProfileFile.load(file)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ProfileFile.load(tmp.resolve("missing.json")))
                .isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining("cannot read profile");
    }

    private static String zeros(int n) {
        return "[" + "0,".repeat(n - 1) + "0]";
    }
}
