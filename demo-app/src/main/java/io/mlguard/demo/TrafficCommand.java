package io.mlguard.demo;

import io.mlguard.demo.traffic.AttackSettings;
import io.mlguard.demo.traffic.Scenario;
import io.mlguard.demo.traffic.TrafficGenerator;
import io.mlguard.demo.traffic.TrafficReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code traffic --url URL --models DIR [--scenario NAME] [--requests N] [--seed N] [--client ID]
 * [--rotate-clients N] [--budget N] [--time-limit SECONDS]}: exits 0 when every request succeeded.
 */
final class TrafficCommand {
    private TrafficCommand() {}

    static int run(String[] argv) throws Exception {
        Args args =
                Args.parse(
                        argv,
                        Set.of(
                                "url",
                                "models",
                                "scenario",
                                "requests",
                                "seed",
                                "client",
                                "rotate-clients",
                                "budget",
                                "time-limit"),
                        Set.of());
        String url = args.get("url", null);
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("--url http://HOST:PORT is required");
        }
        Path models = args.requiredPath("models");
        Scenario scenario = Scenario.parse(args.get("scenario", "all"));
        int requests = args.getInt("requests", 40, 1, 100_000);
        long seed = args.getLong("seed", 7);
        AttackSettings attack =
                new AttackSettings(
                        args.get("client", "attacker"),
                        args.getInt("rotate-clients", 0, 0, 1_000_000),
                        args.getInt("budget", AttackSettings.DEFAULT_BUDGET, 1, 100_000),
                        Duration.ofSeconds(
                                args.getInt(
                                        "time-limit",
                                        (int) AttackSettings.DEFAULT_TIME_LIMIT.toSeconds(),
                                        1,
                                        3600)));

        TrafficReport report =
                new TrafficGenerator(url, models, requests, seed, attack).run(scenario);
        report.print(System.out);
        return report.allSucceeded() ? 0 : 1;
    }
}
