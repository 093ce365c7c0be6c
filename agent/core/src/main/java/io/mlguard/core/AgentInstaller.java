package io.mlguard.core;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.queue.QueueWriter;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * Starts the agent inside its hidden class loader. Class loader: agent. Called reflectively by
 * {@code AgentPremain}; whatever fails here is reported by the premain as one line and the
 * application starts without the agent.
 */
public final class AgentInstaller {
    private static volatile InferenceRecorder recorder;

    private AgentInstaller() {}

    /**
     * Installs the agent.
     *
     * @param jar mlguard.jar, or {@code null} when running from a class path (tests)
     * @param dynamic whether the agent was attached to a running JVM
     */
    public static void install(Instrumentation inst, String agentArgs, File jar, boolean dynamic) {
        long start = System.nanoTime();
        AgentConfig config = AgentConfig.load(agentArgs);
        AgentLog.setDebug(config.debug);
        if (!config.enabled) {
            AgentLog.info("disabled by configuration (enabled=false)");
            return;
        }
        // Chronicle phones home and announces itself unless told not to, before its first use.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        ModuleOpener.openForChronicle(inst, AgentInstaller.class.getModule());

        AgentCounters counters = new AgentCounters();
        QueueWriter writer = openWriter(config, counters);

        List<InstrumentationModule> modules = new ArrayList<>();
        ClassLoader own = AgentInstaller.class.getClassLoader();
        for (InstrumentationModule m : ServiceLoader.load(InstrumentationModule.class, own)) {
            modules.add(m);
        }
        RuntimeAdapter[] runtimes = new RuntimeAdapter[8];
        RequestAdapter[] servers = new RequestAdapter[8];
        for (InstrumentationModule m : modules) {
            if (m.runtimeId() >= 0) {
                runtimes[m.runtimeId()] = m.runtimeAdapter();
            }
            if (m.serverId() >= 0) {
                servers[m.serverId()] = m.requestAdapter();
            }
        }
        InferenceRecorder rec = new InferenceRecorder(config, writer, counters, runtimes, servers);
        recorder = rec;
        Dispatcher.install(rec);

        AgentBuilder builder = baseBuilder(counters);
        for (InstrumentationModule m : modules) {
            builder = m.instrument(builder, inst);
        }
        builder.installOn(inst);

        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    Dispatcher.install(null);
                                    AgentLog.debug("counters at exit: " + counters);
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
                        + config.queueDir);
    }

    private static QueueWriter openWriter(AgentConfig config, AgentCounters counters) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        // Chronicle resolves some classes through the context loader while it opens a queue.
        t.setContextClassLoader(AgentInstaller.class.getClassLoader());
        try {
            return QueueWriter.open(config.queueDir, counters);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    static AgentBuilder baseBuilder(AgentCounters counters) {
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new TransformListener(counters))
                .ignore(
                        nameStartsWith("net.bytebuddy.")
                                .or(nameStartsWith("io.mlguard."))
                                .or(nameStartsWith("java."))
                                .or(nameStartsWith("jdk."))
                                .or(nameStartsWith("sun."))
                                .or(nameStartsWith("org.glowroot."))
                                .or(nameStartsWith("co.elastic.apm."))
                                .or(isSynthetic()));
    }

    /** The recorder in force, for tests and for the agent's own diagnostics. */
    public static InferenceRecorder recorder() {
        return recorder;
    }
}
