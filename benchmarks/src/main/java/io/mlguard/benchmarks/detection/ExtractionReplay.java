package io.mlguard.benchmarks.detection;

import io.mlguard.collector.detect.ExtractionDetector;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.stats.ShapiroWilk;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Replays a detection benchmark's queue (kept in its work directory) through the {@link
 * ExtractionDetector} and dumps, per client, the series of nearest-previous-query distances the
 * PRADA test looks at: to the last 128 queries (the old ring), to the whole history, and to the
 * whole history of the same predicted class, with how many queries back the nearest one was. It
 * answers "which distances does the detector see" on real agent data, offline and repeatably.
 *
 * <p>Usage: {@code ExtractionReplay <queue dir> <csv out dir>}, or {@code ExtractionReplay <queue
 * dir> --benign <client prefix> <clients> <queries each> <seed>} to estimate false positives: the
 * real fingerprints (and predicted classes) of the clients whose id starts with the prefix are
 * dealt at random to that many new clients, which a fresh detector then sees one after another.
 */
public final class ExtractionReplay {
    private static final int RING = 128;
    private static final double NEAR_PER_CELL = 2.0;
    private static final int WINDOW = 200;

    private record Query(byte[] cells, int label) {}

    private static final class Client {
        final List<Query> history = new ArrayList<>();
        final List<double[]> rows = new ArrayList<>(); // ring, all, same class, lag
        int firstSignal = -1;
        double firstW = Double.NaN;
    }

    private ExtractionReplay() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 6 && args[1].equals("--benign")) {
            benign(
                    Paths.get(args[0]),
                    args[2],
                    Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
            return;
        }
        Path queue = Paths.get(args[0]);
        Path out = Paths.get(args[1]);
        Files.createDirectories(out);
        Map<String, Client> clients = new LinkedHashMap<>();
        ExtractionDetector detector = new ExtractionDetector();
        try (ChronicleQueue cq =
                        ChronicleQueue.singleBuilder(queue.toFile())
                                .rollCycle(RollCycles.FAST_HOURLY)
                                .build();
                ExcerptTailer t = cq.createTailer()) {
            RecordReader.Handler h =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord r, long index) {
                            if (r.clientId == null || r.fingerprintLength == 0) {
                                return;
                            }
                            Client c = clients.computeIfAbsent(r.clientId, k -> new Client());
                            int q = c.history.size();
                            List<Signal> s = new ArrayList<>();
                            detector.onInference(r, index, s::add);
                            if (!s.isEmpty() && c.firstSignal < 0) {
                                c.firstSignal = q + 1;
                                c.firstW = (double) s.get(0).evidence().get("shapiroWilkW");
                            }
                            int label = -1;
                            if (r.outputCount > 0 && r.outputs[0].topK > 0) {
                                label = r.outputs[0].topClasses[0];
                            }
                            byte[] f = Arrays.copyOf(r.fingerprint, r.fingerprintLength);
                            c.rows.add(distances(c.history, f, label));
                            c.history.add(new Query(f, label));
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord r, long index) {}

                        @Override
                        public void malformed(RecordFormatException e, long index) {}
                    };
            while (RecordReader.readOne(t, h)) {
                // all of it
            }
        }
        System.out.println(
                "client queries signalAt W | share of nearest >128 back | W(last 200) ring/all/class"
                        + " at 300, 400, 600, 1000, end");
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            Client c = e.getValue();
            long far = c.rows.stream().filter(r -> r[3] > RING).count();
            StringBuilder w = new StringBuilder();
            for (int at : new int[] {300, 400, 600, 1000, c.rows.size()}) {
                if (at <= c.rows.size()) {
                    w.append(
                            String.format(
                                    " %d:%.3f/%.3f/%.3f",
                                    at,
                                    wAt(c.rows, 0, at),
                                    wAt(c.rows, 1, at),
                                    wAt(c.rows, 2, at)));
                }
            }
            System.out.printf(
                    "%-22s %5d %5d %.3f | %.3f |%s%n",
                    e.getKey(),
                    c.rows.size(),
                    c.firstSignal,
                    c.firstW,
                    far / (double) Math.max(1, c.rows.size()),
                    w);
            try (PrintWriter p =
                    new PrintWriter(Files.newBufferedWriter(out.resolve(e.getKey() + ".csv")))) {
                p.println("query,label,ring128,all,sameClass,lag");
                for (int i = 0; i < c.rows.size(); i++) {
                    double[] r = c.rows.get(i);
                    p.printf(
                            "%d,%d,%.1f,%.1f,%.1f,%d%n",
                            i + 1, c.history.get(i).label(), r[0], r[1], r[2], (long) r[3]);
                }
            }
        }
    }

    private static void benign(Path queue, String prefix, int clients, int each, long seed) {
        List<Query> pool = new ArrayList<>();
        try (ChronicleQueue cq =
                        ChronicleQueue.singleBuilder(queue.toFile())
                                .rollCycle(RollCycles.FAST_HOURLY)
                                .build();
                ExcerptTailer t = cq.createTailer()) {
            RecordReader.Handler h =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord r, long index) {
                            if (r.clientId != null
                                    && r.clientId.startsWith(prefix)
                                    && r.fingerprintLength > 0) {
                                int label =
                                        r.outputCount > 0 && r.outputs[0].topK > 0
                                                ? r.outputs[0].topClasses[0]
                                                : -1;
                                pool.add(
                                        new Query(
                                                Arrays.copyOf(r.fingerprint, r.fingerprintLength),
                                                label));
                            }
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord r, long index) {}

                        @Override
                        public void malformed(RecordFormatException e, long index) {}
                    };
            while (RecordReader.readOne(t, h)) {
                // all of it
            }
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        ExtractionDetector detector = new ExtractionDetector();
        InferenceRecord r = new InferenceRecord();
        r.modelId = "mnist";
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        r.outputCount = 1;
        r.outputs[0].topK = 1;
        int flagged = 0;
        long signals = 0;
        long index = 0;
        List<Double> ws = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            r.clientId = "pseudo-" + c;
            List<Signal> s = new ArrayList<>();
            for (int q = 0; q < each; q++) {
                Query x = pool.get(random.nextInt(pool.size()));
                System.arraycopy(x.cells(), 0, r.fingerprint, 0, x.cells().length);
                r.fingerprintLength = x.cells().length;
                r.outputs[0].topClasses[0] = x.label();
                r.timestampMillis = 1_700_000_000_000L + index * 10;
                detector.onInference(r, index++, s::add);
            }
            if (!s.isEmpty()) {
                flagged++;
                signals += s.size();
                ws.add((Double) s.get(0).evidence().get("shapiroWilkW"));
            }
        }
        System.out.printf(
                "benign replay: %d real fingerprints of '%s*' dealt to %d clients x %d queries:"
                        + " %d clients flagged (%.2f%%), %d signals on %d queries (%.4f%%); first"
                        + " W of flagged %s%n",
                pool.size(),
                prefix,
                clients,
                each,
                flagged,
                100.0 * flagged / clients,
                signals,
                index,
                100.0 * signals / index,
                ws);
    }

    /** Min L2 to the last 128, to all, to all of the same label (NaN: near-dup or none), lag. */
    private static double[] distances(List<Query> history, byte[] f, int label) {
        double ring = Double.NaN;
        double all = Double.NaN;
        double same = Double.NaN;
        int lag = -1;
        int n = history.size();
        for (int i = n - 1; i >= 0; i--) {
            Query h = history.get(i);
            if (h.cells().length != f.length) {
                continue;
            }
            long sq = 0;
            long l1 = 0;
            for (int k = 0; k < f.length; k++) {
                int d = (h.cells()[k] & 0xff) - (f[k] & 0xff);
                sq += (long) d * d;
                l1 += Math.abs(d);
            }
            if (l1 <= NEAR_PER_CELL * f.length) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN, n - i};
            }
            double d = Math.sqrt(sq);
            if (n - i <= RING && !(d >= ring)) {
                ring = d;
            }
            if (!(d >= all)) {
                all = d;
                lag = n - i;
            }
            if (h.label() == label && !(d >= same)) {
                same = d;
            }
        }
        return new double[] {ring, all, same, lag};
    }

    private static double wAt(List<double[]> rows, int column, int at) {
        double[] v = new double[WINDOW];
        int k = 0;
        for (int i = at - 1; i >= 0 && k < WINDOW; i--) {
            double d = rows.get(i)[column];
            if (!Double.isNaN(d)) {
                v[k++] = d;
            }
        }
        return k < 3 ? Double.NaN : ShapiroWilk.test(v, k).w();
    }
}
