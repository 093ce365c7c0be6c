package io.mlguard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeferredTransformerTest {
    /** A transformer that answers with one marker byte, to tell which one ran. */
    private static ClassFileTransformer marker(byte b) {
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(
                    Module module,
                    ClassLoader loader,
                    String name,
                    Class<?> redefined,
                    ProtectionDomain domain,
                    byte[] bytes) {
                return new byte[] {b};
            }
        };
    }

    private static byte[] load(DeferredTransformer d, String name) throws Exception {
        return d.transform(null, null, name, null, null, new byte[0]);
    }

    @Test
    void modelRuntimesNeedOnlyTheLightStageAndServletsWaitForTheWholeAgent() throws Exception {
        DeferredTransformer d = new DeferredTransformer();
        d.ready(new DeferredTransformer.ExactOnly(marker((byte) 1)));

        // an instrumented runtime class goes through the light stage at once
        assertThat(load(d, "ai/onnxruntime/OrtSession")).containsExactly(1);
        // a class of those packages the agent does not instrument never waited at all
        assertThat(load(d, "ai/onnxruntime/OnnxTensor")).isNull();

        // a servlet class waits for the whole agent and is transformed by it
        AtomicReference<byte[]> servlet = new AtomicReference<>();
        Thread loader =
                new Thread(
                        () -> {
                            try {
                                servlet.set(load(d, "jakarta/servlet/http/HttpServlet"));
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
        loader.start();
        d.ready(marker((byte) 2));
        loader.join();
        assertThat(servlet.get()).containsExactly(2);
        assertThat(load(d, "ai/onnxruntime/OrtSession")).containsExactly(2);
        assertThat(load(d, "com/example/Other")).isNull();
    }

    @Test
    void abandoningReleasesEveryWaiter() throws Exception {
        DeferredTransformer d = new DeferredTransformer();
        d.abandon();
        assertThat(load(d, "ai/onnxruntime/OrtSession")).isNull();
        assertThat(load(d, "io/netty/channel/AbstractChannelHandlerContext")).isNull();
    }
}
