package io.mlguard.demo.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Open Inference Protocol v2 (REST) server for the ONNX models of a repository directory, on the
 * JDK's built-in HTTP server, bound to 127.0.0.1 only.
 */
public final class ModelServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService workers;
    private final ModelRepository repository;
    private final List<String> loadMessages;

    private ModelServer(
            HttpServer http,
            ExecutorService workers,
            ModelRepository repository,
            List<String> loadMessages) {
        this.http = http;
        this.workers = workers;
        this.repository = repository;
        this.loadMessages = loadMessages;
    }

    /**
     * Loads every model under {@code modelsDir} and starts serving on {@code port} (0 picks a free
     * one).
     */
    public static ModelServer start(Path modelsDir, int port, boolean verbose) throws IOException {
        // without it the JDK server waits for delayed ACKs: ~40 ms per keep-alive answer
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ModelRepository repository = new ModelRepository(modelsDir);
        List<String> messages = repository.loadAll();
        HttpServer http;
        try {
            http =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            repository.close();
            throw e;
        }
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(threads, namedThreads());
        RequestStats stats = new RequestStats();
        http.createContext("/", new ApiHandler(new Routes(repository, stats), stats, verbose));
        http.setExecutor(workers);
        http.start();
        return new ModelServer(http, workers, repository, messages);
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "oip-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port actually bound. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** What happened to each model at start-up. */
    public List<String> loadMessages() {
        return loadMessages;
    }

    /** The repository being served. */
    public ModelRepository repository() {
        return repository;
    }

    /** Stops accepting requests, waits briefly for running ones, closes every session. */
    @Override
    public void close() {
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        repository.close();
    }
}
