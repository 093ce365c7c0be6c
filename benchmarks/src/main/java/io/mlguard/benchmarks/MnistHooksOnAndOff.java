package io.mlguard.benchmarks;

/** {@link MnistWithAndWithoutAgent} on one copy of the runtime, the agent's hooks switched. */
public class MnistHooksOnAndOff extends MnistWithAndWithoutAgent implements HooksOnAndOff {}
