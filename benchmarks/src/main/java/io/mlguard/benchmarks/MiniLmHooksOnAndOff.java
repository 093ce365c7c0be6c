package io.mlguard.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * {@link MiniLmEmbedding} in one JVM with the agent, its hooks switched on and off every measured
 * iteration ({@link HooksOnAndOff}): every warm-up iteration runs with the hooks, for the minute C2
 * takes to compile the agent's code at this rate ({@link MiniLmCaptureTurns}), then even iterations
 * (counted from the first warm-up iteration) with them and odd ones without. Against {@link
 * MiniLmCaptureTurns}, the turns without hooks leave out all of the agent's work on the inference,
 * what comes before its sampling decision included, and a switch takes effect at once, with no
 * command to wait for.
 */
@Warmup(iterations = 240, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 200, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", BenchAgent.JAVAAGENT})
public class MiniLmHooksOnAndOff extends MiniLmEmbedding implements HooksOnAndOff {
    private AgentHooks hooks;
    private int iteration;

    @Setup(Level.Trial)
    public void findHooks() throws Exception {
        hooks = AgentHooks.installed();
    }

    @Setup(Level.Iteration)
    public void takeTurns(IterationParams params) throws Exception {
        boolean on =
                params.getType() == IterationType.WARMUP
                        || WithAndWithoutAgent.instrumented(iteration)
                        || !AgentHooks.SWITCH;
        iteration++;
        hooks.switchOn(on);
    }
}
