package io.mlguard.instrumentation.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of the DJL adapter that need no DJL: type names and the option string. The hooks
 * themselves run against real DJL in it-tests ({@code DjlOnnxRuntimeIT}, {@code DjlPyTorchIT}).
 */
class DjlModelLoadTest {

    /** Stands in for DJL's {@code Criteria}: the same public getters, read reflectively. */
    public static final class FakeCriteria {
        public String getEngine() {
            return "OnnxRuntime";
        }

        public Map<String, Object> getArguments() {
            return Map.of("b", 2, "a", "x");
        }

        public Map<String, String> getOptions() {
            return Map.of("interOpNumThreads", "1");
        }

        public String getModelZoo() {
            return null;
        }
    }

    /** Stands in for a {@code ZooModel} whose engine could not be read. */
    public static final class FakeModel {
        public Path getModelPath() {
            return Path.of("/models/tiny");
        }

        public String getName() {
            return "tiny";
        }
    }

    @Test
    void optionsAreSortedAndStable() {
        String options = DjlModelLoad.options(new FakeCriteria(), new FakeModel());
        assertThat(options)
                .isEqualTo("arg.a=x;arg.b=2;engine=OnnxRuntime;option.interOpNumThreads=1");
        assertThat(DjlModelLoad.options(new FakeCriteria(), new FakeModel())).isEqualTo(options);
    }

    @Test
    void modelPathFallsBackToWhereDjlResolvedIt() {
        assertThat(DjlModelLoad.modelPath(new FakeCriteria(), new FakeModel()))
                .isEqualTo(Path.of("/models/tiny"));
        assertThat(DjlModelLoad.metadata(new FakeModel()))
                .isEqualTo("modelPath=/models/tiny;name=tiny");
    }

    @Test
    void djlTypesMapToRecordTypes() {
        assertThat(DjlAccess.toDType("FLOAT32")).isEqualTo(DType.FLOAT32);
        assertThat(DjlAccess.toDType("INT64")).isEqualTo(DType.INT64);
        assertThat(DjlAccess.toDType("BOOLEAN")).isEqualTo(DType.BOOL);
        assertThat(DjlAccess.toDType("COMPLEX64")).isEqualTo(DType.UNKNOWN);
    }
}
