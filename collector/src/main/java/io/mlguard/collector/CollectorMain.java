package io.mlguard.collector;

import io.mlguard.collector.config.CommandLine;
import io.mlguard.collector.config.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar mlguard-collector.jar --queue DIR --http-port N [...]}, or {@code incidents
 * --url URL} to list a running collector's incidents ({@link IncidentsCommand}), {@code profile
 * build ...} to save a model's reference profile ({@link ProfileCommand}), or {@code models trust
 * MODEL...} to print an allow-list ({@link ModelsCommand}), or {@code control ACTION ...} to send
 * the agents a command ({@link ControlCommand}). Exit codes: 0 after {@code --help} or a normal
 * stop, 1 when the collector cannot start, 2 for a bad command line.
 */
public final class CollectorMain {
    private CollectorMain() {}

    public static void main(String[] args) {
        // Before any Chronicle class loads: no analytics, no banner (DESIGN: nothing phones home).
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        // Before SLF4J initialises: quiet Chronicle's info chatter, timestamp our own lines.
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        // JNA is left out on purpose (RECIPES): thread affinity is not needed to tail a queue.
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft.affinity", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        int code;
        if (args.length > 0 && args[0].equals("incidents")) {
            code = IncidentsCommand.run(rest, System.out, System.err);
        } else if (args.length > 0 && args[0].equals("models")) {
            code = ModelsCommand.run(rest, System.out, System.err);
        } else if (args.length > 0 && args[0].equals("profile")) {
            code = ProfileCommand.run(rest, System.out, System.err);
        } else if (args.length > 0 && args[0].equals("control")) {
            code = ControlCommand.run(rest, System.out, System.err);
        } else {
            code = run(args, System.out, System.err);
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses, starts and blocks until the JVM is asked to stop; returns an exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("mlguard-collector: " + e.getMessage());
            return 2;
        }
        if (parsed.helpRequested()) {
            out.println(CommandLine.USAGE);
            return 0;
        }
        Collector collector;
        try {
            collector = Collector.start(parsed.config());
        } catch (IOException | RuntimeException e) {
            err.println("mlguard-collector: cannot start: " + e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    collector.close();
                                    stopped.countDown();
                                },
                                "mlguard-shutdown"));
        out.println("mlguard-collector listening on http://127.0.0.1:" + collector.port());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
