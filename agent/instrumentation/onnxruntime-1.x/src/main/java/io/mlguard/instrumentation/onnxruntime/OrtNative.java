package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.core.AgentLog;
import io.mlguard.core.NativeShim;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * The agent's JNI shim for ONNX Runtime tensors ({@code src/main/c/mlguard_ort.c}), built into the
 * jar for Linux x86-64. Class loader: agent. ONNX Runtime's Java API reads a tensor's memory only
 * through a new direct {@code ByteBuffer} per read; the shim instead points a buffer the agent
 * keeps per thread at the tensor's memory ({@code GetTensorMutableData} of ONNX Runtime's C API),
 * so reading an output allocates nothing.
 *
 * <p>Loaded at most once, on first use. Anything that stops it (another platform, a JDK that would
 * warn about native access, a temporary folder that cannot hold or run the library) leaves the
 * agent reading through ONNX Runtime's own views, as it did before.
 */
final class OrtNative {
    static final String LIBRARY = "libmlguard-ort-linux-x86_64.so";

    /** Usable once it loaded if this JDK's direct buffers can be retargeted by the shim. */
    private static final NativeShim SHIM =
            new NativeShim(OrtNative.class, "nativeTensorAccess", LIBRARY, "mlguard-ort-") {
                @Override
                protected String checkLoaded() {
                    return newView() == null ? "java.nio.Buffer has no address field" : null;
                }
            };

    private OrtNative() {}

    /** The {@code nativeTensorAccess} setting: auto, true or false. */
    static void configure(String setting) {
        SHIM.configure(setting);
    }

    /** The {@code nativeTensorAccess} setting in force. */
    static String mode() {
        return SHIM.mode();
    }

    /** Loads the shim the first time; true if it can be used. */
    static boolean available() {
        long start = System.nanoTime();
        if (SHIM.loadOnce()) {
            String unavailable = SHIM.unavailableReason();
            if (unavailable == null) {
                AgentLog.debug(
                        "ONNX Runtime tensors are read through the JNI shim (loaded in "
                                + (System.nanoTime() - start) / 1000
                                + " us)");
            } else if (SHIM.mode().equals("true")) {
                AgentLog.info(
                        "nativeTensorAccess=true, but the JNI shim is not in use: "
                                + unavailable
                                + "; ONNX Runtime's own views are read instead");
            } else {
                AgentLog.debug("JNI shim not in use: " + unavailable);
            }
        }
        return SHIM.unavailableReason() == null;
    }

    /** Why the shim is not in use, or {@code null}. */
    static String unavailableReason() {
        return SHIM.unavailableReason();
    }

    /** Why the shim is not to be loaded, or {@code null} ({@link NativeShim#refusal}). */
    static String refusal(
            String mode, String os, String arch, int javaFeature, boolean nativeAccessEnabled) {
        return NativeShim.refusal(
                "nativeTensorAccess", mode, os, arch, javaFeature, nativeAccessEnabled);
    }

    /**
     * A new direct buffer of capacity {@code Integer.MAX_VALUE} for {@link #point} to retarget; its
     * limit must be kept to the memory it points at. {@code null} if this JDK's buffers cannot be
     * retargeted.
     */
    static native ByteBuffer newView();

    /**
     * Points {@code view} at the data of an ONNX Runtime value, through the API table {@code api}
     * ({@code OnnxRuntime.ortApiHandle}). Returns the address, or 0 (view unchanged) if ONNX
     * Runtime gave an error or no data.
     */
    static native long point(ByteBuffer view, long api, long value);

    /** The address of a direct buffer, 0 for any other. */
    static native long address(ByteBuffer buffer);

    /**
     * The address of the data of an ONNX Runtime value, through the API table {@code api}, or 0 if
     * ONNX Runtime gave an error or no data. It calls nothing of the JVM's, so a read is one
     * transition into native code and back: the caller points its view there with {@link
     * View#ADDRESS}, where {@link #point} makes three JNI calls (each a transition into the VM and
     * a fence) to do it.
     */
    static native long data(long api, long value);

    /**
     * {@code java.nio.Buffer}'s {@code address} ({@code View.ADDRESS}), for {@link #data}'s callers
     * to point a view with; {@code null} where this JDK's buffers cannot be retargeted from Java
     * (the agent's module not granted {@code java.nio}, or a buffer that does not read its memory
     * through that field), and {@link #point} does it instead.
     */
    static final class View {
        static final VarHandle ADDRESS = addressHandle();

        private View() {}
    }

    /** Made at the first tensor read, not at the agent's start: {@link View} holds it. */
    private static VarHandle addressHandle() {
        try {
            VarHandle address =
                    MethodHandles.privateLookupIn(Buffer.class, MethodHandles.lookup())
                            .findVarHandle(Buffer.class, "address", long.class);
            // setting it must move what a direct buffer reads: point one at another's memory
            ByteBuffer target = ByteBuffer.allocateDirect(8);
            ByteBuffer probe = ByteBuffer.allocateDirect(8);
            target.put(0, (byte) 42);
            long own = (long) address.get((Buffer) probe);
            address.set((Buffer) probe, (long) address.get((Buffer) target));
            boolean moved = probe.get(0) == 42;
            address.set((Buffer) probe, own); // its own memory again, which its cleaner frees
            Reference.reachabilityFence(target);
            if (!moved) {
                AgentLog.debug("java.nio.Buffer.address does not move a direct buffer's reads");
            }
            return moved ? address : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debug("java.nio.Buffer.address cannot be set from the agent: " + e);
            return null;
        }
    }
}
