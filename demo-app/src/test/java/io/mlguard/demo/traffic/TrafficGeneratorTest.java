package io.mlguard.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.TestModels;
import io.mlguard.demo.server.ModelServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficGeneratorTest {
    @TempDir Path models;

    @Test
    void allScenariosAgainstARealServer() throws Exception {
        Path file = TestModels.writeRepository(models);
        byte[] before = Files.readAllBytes(file);
        TrafficReport report;
        try (ModelServer server = ModelServer.start(models, 0, false)) {
            report = new TrafficGenerator(server.baseUrl(), models, 5, 3).run(Scenario.ALL);
        }
        List<ClientTally> tallies = report.tallies();
        // 5 benign + nan + swap + after-swap + 5 benign at the end
        assertThat(tallies).hasSize(13);
        assertThat(tallies.subList(0, 5))
                .allSatisfy(
                        t -> {
                            assertThat(t.phase()).isEqualTo("benign");
                            assertThat(t.requests()).isEqualTo(5);
                            assertThat(t.succeeded()).isEqualTo(5);
                            // one request in five is a batch of three
                            assertThat(t.labelled()).isEqualTo(7);
                        });
        assertThat(tallies.get(5).client()).isEqualTo("nan-client");
        assertThat(tallies.get(5).succeeded()).isEqualTo(5);
        assertThat(tallies.get(6).client()).isEqualTo("swap-client");
        assertThat(tallies.get(6).statuses()).containsEntry(200, 1);
        assertThat(tallies.get(7).phase()).isEqualTo("after-swap");
        assertThat(tallies.get(7).client()).isEqualTo("benign-1");
        assertThat(tallies.subList(8, 13)).allSatisfy(t -> assertThat(t.requests()).isEqualTo(2));
        assertThat(report.totalRequests()).isEqualTo(5 * 5 + 5 + 1 + 5 + 5 * 2);
        assertThat(report.allSucceeded()).isTrue();
        assertThat(report.modelFileChanged()).isTrue();
        assertThat(Files.readAllBytes(file)).isNotEqualTo(before);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String summary = out.toString(StandardCharsets.UTF_8);
        assertThat(summary).contains("benign-3", "nan-client", "after-swap", "result: OK");
    }

    @Test
    void failuresAreReported() throws Exception {
        TestModels.writeRepository(models);
        // nothing listens on port 1 of the loopback: every request fails, and the report says so
        TrafficReport report =
                new TrafficGenerator("http://127.0.0.1:1", models, 1, 1).run(Scenario.NAN);
        assertThat(report.allSucceeded()).isFalse();
        assertThat(report.tallies().get(0).statuses()).containsEntry(-1, 1);
    }
}
