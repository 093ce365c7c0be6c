package io.mlguard.benchmarks;

/**
 * Marks a benchmark whose turns use one copy of the runtime (a {@link WithAndWithoutAgent} that
 * makes no second copy, or {@link MiniLmHooksOnAndOff}): even iterations run with the agent's hooks
 * (its {@code InferenceRecorder}), odd ones with the no-op hooks the agent's {@code Dispatcher}
 * holds before the agent starts and after it stops, swapped in at each iteration's set-up ({@link
 * AgentHooks}). Both turns run the same classes, the same JIT-compiled code and the same ONNX
 * Runtime session (its native memory, its weights' place in the caches); two copies of the runtime
 * with the agent switched off differed by -0.55 to +2.20 us per fork on this project's VMs, which
 * is as large as what is measured. What the odd turns still run of the agent is the woven call into
 * the dispatcher and its volatile read of the hooks, to a method that returns at once: {@code
 * BENCH=AgentCapture}'s {@code hooksOff} against {@code hooksAbsent} times it.
 *
 * <p>{@code -Dmlguard.bench.switchHooks=false} (through {@code -jvmArgsPrepend}) leaves the hooks
 * on in both turns: the control, which shows the method's own error.
 */
interface HooksOnAndOff {}
