package io.mlguard.otel;

import io.mlguard.bootstrap.AgentPremain;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * Starts mlguard when mlguard.jar is loaded as an extension of the OpenTelemetry Java agent ({@code
 * -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=mlguard.jar}). Class loader:
 * the OpenTelemetry agent's extension loader (found through {@code META-INF/services} at the root
 * of mlguard.jar).
 *
 * <p>Why a listener that starts mlguard's own transformer, not OpenTelemetry {@code
 * InstrumentationModule}s: mlguard's weaver, its ASM and Chronicle are relocated and hidden in its
 * own class loader, and its woven hooks call a dispatcher on the bootstrap loader, so they need
 * nothing from the OpenTelemetry agent's isolated loaders. Modules would need a second copy of
 * every hook as advice compiled against OpenTelemetry's Byte Buddy, muzzle checks and helper
 * injection lists, and would instrument nothing when mlguard runs without OpenTelemetry. This way
 * one code path serves {@code -javaagent:mlguard.jar} and the extension alike; the only thing taken
 * from OpenTelemetry is the {@link Instrumentation} it holds.
 */
public final class MlguardAgentListener implements AgentListener {
    static final String HOLDER = "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder";

    @Override
    public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
        Instrumentation inst;
        try {
            inst = instrumentation();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.err.println(
                    "[mlguard] OpenTelemetry agent gave no Instrumentation; mlguard not started: "
                            + e);
            return;
        }
        if (inst == null) {
            System.err.println(
                    "[mlguard] OpenTelemetry agent gave no Instrumentation; mlguard not started");
            return;
        }
        File jar =
                ExtensionJar.find(
                        System.getProperty("otel.javaagent.extensions"),
                        System.getenv("OTEL_JAVAAGENT_EXTENSIONS"));
        if (jar == null) {
            System.err.println(
                    "[mlguard] mlguard.jar is not among the locations in otel.javaagent.extensions"
                            + " (or OTEL_JAVAAGENT_EXTENSIONS); mlguard not started");
            return;
        }
        AgentPremain.startAsExtension(inst, jar);
    }

    /**
     * The OpenTelemetry agent's {@link Instrumentation}, from the holder on the bootstrap class
     * path (public in its bootstrap, but not part of the extension API, hence reflection).
     */
    static Instrumentation instrumentation() throws ReflectiveOperationException {
        Class<?> holder = Class.forName(HOLDER, false, null);
        return (Instrumentation) holder.getMethod("getInstrumentation").invoke(null);
    }
}
