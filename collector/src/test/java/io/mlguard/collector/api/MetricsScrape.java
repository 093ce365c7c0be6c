package io.mlguard.collector.api;

import io.mlguard.collector.Collector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Scrapes a running collector's {@code /metrics} until the exposition shows what a test needs. */
final class MetricsScrape {
    private MetricsScrape() {}

    /**
     * The last exposition read: the first that satisfies {@code until}, or the one read when {@code
     * patience} ran out (the test's assertions then say what is missing).
     */
    static String until(Collector c, Predicate<String> until, Duration patience)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port() + "/metrics"))
                        .build();
        long deadline = System.nanoTime() + patience.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
            if (until.test(body)) {
                break;
            }
            Thread.sleep(20);
        }
        return body;
    }
}
