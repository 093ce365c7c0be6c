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
    void onlyInstrumentedClassesWaitAndAllOfThemGoToTheAgentOnceReady() throws Exception {
        DeferredTransformer d = new DeferredTransformer();
        // a class of a watched package that the agent does not instrument never waits
        assertThat(load(d, "ai/onnxruntime/OnnxTensor")).isNull();
        assertThat(load(d, "io/netty/channel/DefaultChannelPipeline")).isNull();

        // an instrumented class waits for the agent and is transformed by it
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
        // wait on the condition, not a clock: the loader must really be blocked in the transformer
        while (loader.getState() != Thread.State.WAITING
                && loader.getState() != Thread.State.TIMED_WAITING) {
            assertThat(loader.isAlive()).as("the servlet class waits for the agent").isTrue();
            Thread.onSpinWait();
        }
        assertThat(servlet.get()).isNull();
        d.ready(marker((byte) 2));
        loader.join();
        assertThat(servlet.get()).containsExactly(2);
        assertThat(load(d, "ai/onnxruntime/OrtSession")).containsExactly(2);
        // once ready, every class of a watched package is handed over; others are not
        assertThat(load(d, "ai/onnxruntime/OnnxTensor")).containsExactly(2);
        assertThat(load(d, "com/example/Other")).isNull();
    }

    @Test
    void everyTargetIsInAWatchedPackage() {
        assertThat(DeferredTransformer.TARGETS).isNotEmpty();
        for (String t : DeferredTransformer.TARGETS) {
            assertThat(DeferredTransformer.waitsFor(t)).as(t).isTrue();
        }
        assertThat(DeferredTransformer.waitsFor("java/util/concurrent/ThreadPoolExecutor"))
                .isFalse();
    }

    @Test
    void abandoningReleasesEveryWaiter() throws Exception {
        DeferredTransformer d = new DeferredTransformer();
        d.abandon();
        assertThat(load(d, "ai/onnxruntime/OrtSession")).isNull();
        assertThat(load(d, "io/netty/channel/AbstractChannelHandlerContext")).isNull();
    }
}
