package io.mlguard.core.summary;

/**
 * Where {@link Summaries} copies the tensors handed to it while staging: the capture being made
 * now. Class loader: agent. A serving thread's capture ring is one, for the slot it is filling, so
 * that a capture does not store a slot's reference into the thread's long-lived {@code Summaries}
 * (a reference stored into a long-lived object costs a garbage collector's barrier, up to a fence).
 */
public interface StagingTarget {
    /** The tensors of the capture being made now. */
    StagedTensors current();
}
