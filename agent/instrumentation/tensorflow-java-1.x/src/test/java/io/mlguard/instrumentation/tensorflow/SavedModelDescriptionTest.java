package io.mlguard.instrumentation.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import org.junit.jupiter.api.Test;

/**
 * The parts of the TensorFlow adapter that need no TensorFlow: type names and the option string.
 * The hooks themselves run against real TensorFlow-Java in it-tests ({@code TensorFlowIT}).
 */
class SavedModelDescriptionTest {

    @Test
    void optionsListSortedTagsAndSingleLineProtos() {
        Object config =
                new Object() {
                    @Override
                    public String toString() {
                        return "intra_op_parallelism_threads: 1\ninter_op_parallelism_threads: 2\n";
                    }
                };
        String options =
                SavedModelDescription.options(
                        new Object[] {"/m", new String[] {"serve", "gpu"}, config, null});
        assertThat(options)
                .isEqualTo(
                        "config=intra_op_parallelism_threads: 1 inter_op_parallelism_threads: 2;"
                                + "tags=gpu,serve");
        assertThat(
                        SavedModelDescription.options(
                                new Object[] {"/m", new String[] {"serve"}, null, null}))
                .isEqualTo("tags=serve");
    }

    @Test
    void tensorFlowTypesMapToRecordTypes() {
        assertThat(TfAccess.toDType("DT_FLOAT")).isEqualTo(DType.FLOAT32);
        assertThat(TfAccess.toDType("DT_INT64")).isEqualTo(DType.INT64);
        assertThat(TfAccess.toDType("DT_STRING")).isEqualTo(DType.STRING);
        assertThat(TfAccess.toDType("DT_COMPLEX64")).isEqualTo(DType.UNKNOWN);
    }
}
