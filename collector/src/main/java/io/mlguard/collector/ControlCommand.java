package io.mlguard.collector;

import io.mlguard.collector.respond.ControlQueueWriter;
import io.mlguard.protocol.ControlRecord;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * {@code java -jar mlguard-collector.jar control block|throttle|sample|lift --control-queue DIR
 * --client ID [...]}: an operator's command to the agents, appended to the control queue they read
 * (with {@code enforce=true}) beside the ones a response policy writes: block or throttle a client,
 * record only one inference in N of a client or of every client ({@code --client '*'}), or lift a
 * client's rules. Every command but a lift expires ({@code --for}, ISO-8601, e.g. {@code PT15M}).
 */
final class ControlCommand {
    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar mlguard-collector.jar control ACTION --control-queue DIR"
                            + " --client ID [options]",
                    "  block     --for DURATION              refuse the client's inferences",
                    "  throttle  --per-second N --for DURATION",
                    "                                        allow at most N of them a second",
                    "  sample    --every N --for DURATION    record one inference in N of the"
                            + " client ('*': of every client",
                    "                                        without a rule of its own); 1 records"
                            + " all again",
                    "  lift                                  lift the client's rules",
                    "  --model NAME    only that model's inferences (not for lift)",
                    "  --reason TEXT   said in the agent's refusal and log",
                    "DURATION is ISO-8601, e.g. PT15M; agents obey commands only with enforce=true");

    static final String ISSUER = "mlguard-collector control";

    private ControlCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        ControlRecord c = new ControlRecord();
        Path queue = null;
        Duration lasts = null;
        try {
            c.action = action(args[0]);
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--control-queue":
                        queue = Paths.get(v);
                        break;
                    case "--client":
                        c.clientId = v;
                        break;
                    case "--model":
                        c.model = v;
                        break;
                    case "--for":
                        lasts = duration(v);
                        break;
                    case "--per-second":
                        c.ratePerSecond = number(a, v);
                        break;
                    case "--every":
                        c.recordEvery = (int) Math.min(Integer.MAX_VALUE, whole(a, v));
                        break;
                    case "--reason":
                        c.reason = v;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a);
                }
            }
            check(c, queue, lasts);
        } catch (IllegalArgumentException e) {
            err.println("mlguard-collector control: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        long now = System.currentTimeMillis();
        c.timestampMillis = now;
        c.expiresAtMillis = lasts == null ? now : now + lasts.toMillis();
        c.issuedBy = ISSUER;
        if (!Files.isDirectory(queue)) {
            // the collector makes it with --control-queue; a typo must not make a queue no agent
            // reads
            err.println(
                    "mlguard-collector control: no control queue at "
                            + queue
                            + " (start the collector with --control-queue "
                            + queue
                            + " first)");
            return 1;
        }
        try (ControlQueueWriter writer = new ControlQueueWriter(queue)) {
            writer.write(c);
        } catch (RuntimeException e) {
            err.println("mlguard-collector control: cannot write to " + queue + ": " + e);
            return 1;
        }
        out.println("written to " + queue + ": " + c);
        return 0;
    }

    private static ControlRecord.Action action(String name) {
        switch (name) {
            case "block":
                return ControlRecord.Action.BLOCK;
            case "throttle":
                return ControlRecord.Action.THROTTLE;
            case "sample":
                return ControlRecord.Action.SAMPLE;
            case "lift":
                return ControlRecord.Action.LIFT;
            default:
                throw new IllegalArgumentException(
                        "unknown action '" + name + "' (block, throttle, sample or lift)");
        }
    }

    /** What the agents would refuse as a malformed or empty command, refused here first. */
    private static void check(ControlRecord c, Path queue, Duration lasts) {
        if (queue == null) {
            throw new IllegalArgumentException("--control-queue DIR is required");
        }
        if (c.clientId == null || c.clientId.isEmpty()) {
            throw new IllegalArgumentException("--client ID is required");
        }
        if (c.action == ControlRecord.Action.LIFT) {
            if (lasts != null || c.model != null) {
                throw new IllegalArgumentException("lift takes neither --for nor --model");
            }
            return;
        }
        if (lasts == null) {
            throw new IllegalArgumentException(c.action + " needs --for DURATION");
        }
        if (c.action == ControlRecord.Action.THROTTLE && !(c.ratePerSecond > 0)) {
            throw new IllegalArgumentException("throttle needs --per-second N above 0");
        }
        if (c.action == ControlRecord.Action.SAMPLE
                && (c.recordEvery < 1 || c.recordEvery > ControlRecord.MAX_RECORD_EVERY)) {
            throw new IllegalArgumentException(
                    "sample needs --every N from 1 to " + ControlRecord.MAX_RECORD_EVERY);
        }
        if (c.action != ControlRecord.Action.THROTTLE && c.ratePerSecond != 0) {
            throw new IllegalArgumentException("--per-second is for throttle");
        }
        if (c.action != ControlRecord.Action.SAMPLE && c.recordEvery != 0) {
            throw new IllegalArgumentException("--every is for sample");
        }
    }

    private static Duration duration(String v) {
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("--for must be positive: " + v);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--for takes an ISO-8601 duration (PT15M): " + v);
        }
    }

    private static double number(String option, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number: " + v);
        }
    }

    private static long whole(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number: " + v);
        }
    }
}
