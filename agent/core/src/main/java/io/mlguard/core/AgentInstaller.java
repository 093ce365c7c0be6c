package io.mlguard.core;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.control.ControlChannel;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.queue.QueueNative;
import io.mlguard.core.queue.QueueWriter;
import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Starts the agent inside its hidden class loader. Class loader: agent. Called reflectively by
 * {@code AgentPremain}; whatever fails here is reported by the premain as one line and the
 * application starts without the agent.
 */
public final class AgentInstaller {
    /**
     * At premain, how long the queue may stay closed while the application is still starting (it
     * opens at the first inference, or once no class has loaded for two seconds, before that).
     */
    private static final long QUEUE_OPEN_LATEST_MILLIS = 30_000;

    private static volatile InferenceRecorder recorder;
    private static volatile QueueWriter writer;

    private AgentInstaller() {}

    /**
     * Installs the agent.
     *
     * @param jar mlguard.jar, or {@code null} when running from a class path (tests)
     * @param deferred at premain, where the agent's transformer goes (the premain's {@code
     *     DeferredTransformer} hands it the classes it watches); {@code null} when attached to a
     *     running JVM, where the agent registers itself and retransforms loaded classes
     */
    public static void install(
            Instrumentation inst,
            String agentArgs,
            File jar,
            Consumer<ClassFileTransformer> deferred) {
        long start = System.nanoTime();
        boolean dynamic = deferred == null;
        AgentConfig config = AgentConfig.load(agentArgs);
        AgentLog.setDebug(config.debug);
        if (!config.enabled) {
            AgentLog.info("disabled by configuration (enabled=false)");
            return;
        }
        // Chronicle phones home and announces itself unless told not to, before its first use.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        if (dynamic) {
            ModuleOpener.openForChronicle(inst, AgentInstaller.class.getModule());
        }

        AgentLog.debug(
                "configured in "
                        + (System.nanoTime() - start) / 1_000_000
                        + " ms"
                        + AgentLog.threadCpu());
        AgentCounters counters = new AgentCounters();
        ClassLoader own = AgentInstaller.class.getClassLoader();
        QueueNative.configure(config.queueAdvice);
        writer =
                QueueWriter.create(
                        config.queueDir, counters, config.minFreeDiskBytes, config.asyncWrite);
        if (dynamic) {
            writer.openInBackground(own);
        }

        List<InstrumentationModule> modules = new ArrayList<>();
        for (InstrumentationModule m : ServiceLoader.load(InstrumentationModule.class, own)) {
            modules.add(m);
        }
        AgentLog.debug(
                "modules loaded at "
                        + (System.nanoTime() - start) / 1_000_000
                        + " ms"
                        + AgentLog.threadCpu());
        RuntimeAdapter[] runtimes = new RuntimeAdapter[8];
        RequestAdapter[] servers = new RequestAdapter[8];
        for (InstrumentationModule m : modules) {
            if (m.runtimeId() >= 0) {
                RuntimeAdapter adapter = m.runtimeAdapter();
                runtimes[m.runtimeId()] = adapter;
                if (adapter != null) {
                    adapter.configure(config);
                }
            }
            if (m.serverId() >= 0) {
                servers[m.serverId()] = m.requestAdapter();
            }
        }
        List<MethodHook> atLoad = new ArrayList<>();
        List<MethodHook> loadedEarly = new ArrayList<>();
        for (InstrumentationModule m : modules) {
            for (MethodHook h : m.hooks()) {
                (h.isLoadedEarly() ? loadedEarly : atLoad).add(h);
            }
        }
        ControlRules rules = config.enforce ? new ControlRules() : null;
        InferenceRecorder rec =
                new InferenceRecorder(config, writer, counters, runtimes, servers, rules);
        if (!dynamic) {
            // The JDK classes (ThreadPoolExecutor) carry a request's context: needed from the
            // first request on, not during the application's start.
            // (anonymous classes, not lambdas, on the start path: a lambda spins a hidden class)
            rec.beforeFirstRequest(
                    new Runnable() {
                        @Override
                        public void run() {
                            LoadedClassWeaver.weave(loadedEarly, inst, counters);
                            AgentLog.debug("JDK classes woven" + AgentLog.threadCpu());
                        }
                    });
        }
        recorder = rec;
        Dispatcher.install(rec);
        AgentStatsReporter.start(writer, counters, config);

        AgentLog.debug(
                "hooks ready at "
                        + (System.nanoTime() - start) / 1_000_000
                        + " ms"
                        + AgentLog.threadCpu());
        if (dynamic) {
            // The same weaver as at premain, by retransformation: the hooked classes loaded now,
            // in batches, and any that load later.
            List<MethodHook> all = new ArrayList<>(atLoad);
            all.addAll(loadedEarly);
            AgentLog.info(LoadedClassWeaver.attach(all, inst, counters, config.ignoredLoaders));
        } else {
            // At premain only the hook weaver: ASM's reader and writer, no Byte Buddy description,
            // matching or advice (some 550 classes and their compilation) on the start path.
            deferred.accept(new HookWeaver(atLoad, inst, counters, config.ignoredLoaders));
            AgentLog.debug(
                    "transformer ready at "
                            + (System.nanoTime() - start) / 1_000_000
                            + " ms"
                            + AgentLog.threadCpu());
            // Only Chronicle needs these module openings, so not before the weaver is ready (in a
            // class-load log of the demo's start, 60 ms of the init thread's wall time went between
            // ModuleOpener and the next class); records written meanwhile wait in memory until the
            // queue opens, which is after this.
            ModuleOpener.openForChronicle(inst, AgentInstaller.class.getModule());
            // Chronicle loads once inferences start, or once the application's start is over
            writer.openWhenAsked(own);
            Thread quiet =
                    new Thread(
                            new Runnable() {
                                @Override
                                public void run() {
                                    if (StartQuiet.await(inst, QUEUE_OPEN_LATEST_MILLIS)) {
                                        AgentLog.debug("start over: opening the queue");
                                        writer.openSoon();
                                    }
                                }
                            },
                            "mlguard-start-watch");
            quiet.setDaemon(true);
            quiet.start();
        }
        if (rules != null) {
            ControlChannel.start(config.controlQueueDir, rules, own);
        }

        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                new Runnable() {
                                    @Override
                                    public void run() {
                                        try {
                                            rec.flushAtExit();
                                            writer.flushAtExit();
                                        } catch (Throwable t) {
                                            // exit goes on; the records still waiting are lost
                                        }
                                        Dispatcher.install(null);
                                        AgentLog.debug("counters at exit: " + counters);
                                    }
                                },
                                "mlguard-shutdown"));
        AgentLog.info(
                "agent started"
                        + (dynamic ? " (attached)" : "")
                        + " in "
                        + (System.nanoTime() - start) / 1_000_000
                        + " ms; "
                        + modules.size()
                        + " instrumentation modules; queue "
                        + config.queueDir
                        + (config.enforce
                                ? "; enforcing commands from " + config.controlQueueDir
                                : ""));
    }

    /** Waits until the queue is open; for tests. */
    public static boolean awaitQueueOpen(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            QueueWriter w = writer;
            if (w != null && w.isOpen()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** The recorder in force, for tests and for the agent's own diagnostics. */
    public static InferenceRecorder recorder() {
        return recorder;
    }
}
