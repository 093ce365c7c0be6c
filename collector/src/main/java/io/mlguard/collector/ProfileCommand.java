package io.mlguard.collector;

import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.profile.ProfileBuilder;
import io.mlguard.collector.profile.ProfileFile;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;

/**
 * {@code java -jar mlguard-collector.jar profile build --queue DIR --model NAME --records N --out
 * FILE}: builds a model's reference profile from its first N records in a queue and saves it for
 * {@code --profile}. It reads with an anonymous tailer, so a collector's read position is never
 * touched. Exit codes: 0 written, 1 nothing to build from or cannot write, 2 bad command line.
 */
final class ProfileCommand {
    static final String USAGE =
            "usage: java -jar mlguard-collector.jar profile build --queue DIR --model NAME"
                    + " --records N --out FILE";

    private ProfileCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("build")) {
            err.println(USAGE);
            return 2;
        }
        Path queue = null;
        String model = null;
        long records = 0;
        Path file = null;
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                err.println("mlguard-collector profile: " + name + " needs a value\n" + USAGE);
                return 2;
            }
            String value = args[++i];
            switch (name) {
                case "--queue" -> queue = Paths.get(value);
                case "--model" -> model = value;
                case "--out" -> file = Paths.get(value);
                case "--records" -> {
                    try {
                        records = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        records = -1;
                    }
                    if (records < 1) {
                        err.println(
                                "mlguard-collector profile: --records needs a whole number >= 1");
                        return 2;
                    }
                }
                default -> {
                    err.println("mlguard-collector profile: unknown option " + name + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (queue == null || model == null || model.isEmpty() || records < 1 || file == null) {
            err.println(
                    "mlguard-collector profile: --queue, --model, --records and --out are needed\n"
                            + USAGE);
            return 2;
        }
        if (!hasQueueFiles(queue)) {
            err.println("mlguard-collector profile: no queue in " + queue);
            return 1;
        }
        ProfileBuilder builder = new ProfileBuilder(model, records);
        long[] malformed = new long[1];
        String wanted = model;
        RecordReader.Handler handler =
                new RecordReader.Handler() {
                    @Override
                    public void inference(InferenceRecord r, long index) {
                        if (wanted.equals(r.modelId)) {
                            builder.add(r);
                        }
                    }

                    @Override
                    public void modelLoad(ModelLoadRecord r, long index) {}

                    @Override
                    public void malformed(RecordFormatException e, long index) {
                        malformed[0]++;
                    }
                };
        try (ChronicleQueue q =
                        ChronicleQueue.singleBuilder(queue.toFile())
                                .rollCycle(RollCycles.FAST_HOURLY)
                                .readOnly(true)
                                .build();
                ExcerptTailer tailer = q.createTailer()) {
            while (!builder.complete() && RecordReader.readOne(tailer, handler)) {
                // reads until the window is full or the queue ends
            }
        }
        if (builder.records() == 0) {
            err.println(
                    "mlguard-collector profile: no record of model '" + model + "' in " + queue);
            return 1;
        }
        ModelProfile profile = builder.build();
        try {
            ProfileFile.save(profile, file);
        } catch (IOException e) {
            err.println("mlguard-collector profile: cannot write " + file + ": " + e);
            return 1;
        }
        if (!builder.complete()) {
            err.println(
                    "mlguard-collector profile: warning: the queue held only "
                            + builder.records()
                            + " of the "
                            + records
                            + " records asked for");
        }
        out.println(
                "profile of model '"
                        + model
                        + "' from "
                        + profile.records()
                        + " records ("
                        + profile.errors()
                        + " errors, "
                        + malformed[0]
                        + " malformed records skipped) written to "
                        + file);
        return 0;
    }

    private static boolean hasQueueFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            return false;
        }
    }
}
