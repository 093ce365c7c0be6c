package io.mlguard.collector.detect;

/** Where detectors send their signals (the incident manager, or a list in tests). */
@FunctionalInterface
public interface SignalSink {
    void accept(Signal signal);
}
