package io.mlguard.demo;

import io.mlguard.demo.traffic.Scenario;
import io.mlguard.demo.traffic.TrafficGenerator;
import io.mlguard.demo.traffic.TrafficReport;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code traffic --url URL --models DIR [--scenario all|benign|nan|swap] [--requests N] [--seed
 * N]}: exits 0 when every request succeeded.
 */
final class TrafficCommand {
    private TrafficCommand() {}

    static int run(String[] argv) throws Exception {
        Args args =
                Args.parse(argv, Set.of("url", "models", "scenario", "requests", "seed"), Set.of());
        String url = args.get("url", null);
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("--url http://HOST:PORT is required");
        }
        Path models = args.requiredPath("models");
        Scenario scenario = Scenario.parse(args.get("scenario", "all"));
        int requests = args.getInt("requests", 40, 1, 100_000);
        long seed = args.getLong("seed", 7);

        TrafficReport report = new TrafficGenerator(url, models, requests, seed).run(scenario);
        report.print(System.out);
        return report.allSucceeded() ? 0 : 1;
    }
}
