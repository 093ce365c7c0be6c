package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

class RecordsTest {

    static InferenceRecord sampleInference() {
        InferenceRecord r = new InferenceRecord();
        r.timestampMillis = 1_700_000_000_123L;
        r.latencyNanos = 41_000;
        r.agentId = "1234@host";
        r.runtime = "onnxruntime";
        r.modelId = "mnist";
        r.modelHashPrefix = 0x0123456789abcdefL;
        r.outcome = Outcome.OK;
        r.clientIdSource = ClientIdSource.HEADER;
        r.clientId = "client-ä-<script>";
        r.requestPath = "/v2/models/mnist/infer";
        r.batchSize = 1;
        r.inputCount = 1;
        TensorSummary in = r.inputs[0];
        in.matrix("input", DType.FLOAT32, 1, 784);
        in.min = 0;
        in.max = 1;
        in.mean = 0.13;
        in.std = 0.3;
        in.nanCount = 2;
        in.infCount = 1;
        in.zeroFraction = 0.8f;
        in.l2Norm = 9.5;
        r.outputCount = 1;
        TensorSummary out = r.outputs[0];
        out.matrix("probabilities", DType.FLOAT32, 1, 10);
        out.topK = 2;
        out.topClasses[0] = 7;
        out.topScores[0] = 0.9f;
        out.topClasses[1] = 1;
        out.topScores[1] = 0.05f;
        out.margin = 0.85f;
        out.entropy = 0.4f;
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        r.fingerprintLength = 64;
        for (int i = 0; i < 64; i++) {
            r.fingerprint[i] = (byte) (i * 3);
        }
        r.featureCount = 3;
        r.features[0] = 1.5f;
        r.features[1] = -2f;
        r.features[2] = Float.NaN;
        return r;
    }

    @Test
    void inferenceRecordRoundTripsEveryField() {
        InferenceRecord r = sampleInference();
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        r.writeTo(bytes);

        InferenceRecord back = (InferenceRecord) Records.read(bytes);

        assertThat(bytes.readRemaining()).isZero();
        assertThat(back.toString()).isEqualTo(r.toString());
        assertThat(back.timestampMillis).isEqualTo(r.timestampMillis);
        assertThat(back.modelHashPrefix).isEqualTo(r.modelHashPrefix);
        assertThat(back.clientId).isEqualTo("client-ä-<script>");
        assertThat(back.clientIdSource).isEqualTo(ClientIdSource.HEADER);
        assertThat(back.requestPath).isEqualTo(r.requestPath);
        assertThat(back.inputs[0].shape()).containsExactly(1, 784);
        assertThat(back.inputs[0].nanCount).isEqualTo(2);
        assertThat(back.inputs[0].zeroFraction).isEqualTo(0.8f);
        assertThat(back.outputs[0].topClasses[1]).isEqualTo(1);
        assertThat(back.outputs[0].entropy).isEqualTo(0.4f);
        assertThat(back.fingerprint()).isEqualTo(r.fingerprint());
        assertThat(back.features()).containsExactly(1.5f, -2f, Float.NaN);
        assertThat(back.traceId).isNull();
    }

    @Test
    void modelLoadRecordRoundTrips() {
        ModelLoadRecord m = new ModelLoadRecord();
        m.timestampMillis = 5;
        m.loadNanos = 7;
        m.agentId = "a";
        m.runtime = "onnxruntime";
        m.modelId = "mnist";
        m.source = "/models/mnist/1/model.onnx";
        m.sha256 = "ab".repeat(32);
        m.sizeBytes = 409_000;
        m.options = "intra_op_threads=1";
        m.metadata = "graph=mnist_mlp";
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        m.writeTo(bytes);

        ModelLoadRecord back = (ModelLoadRecord) Records.read(bytes);

        assertThat(back.toString()).isEqualTo(m.toString());
        assertThat(back.sizeBytes).isEqualTo(409_000);
        assertThat(back.hashPrefix()).isEqualTo(0xababababababababL);
        assertThat(back.metadata).isEqualTo("graph=mnist_mlp");
    }

    @Test
    void reusedRecordClearsOldTensors() {
        InferenceRecord r = sampleInference();
        r.clear();
        assertThat(r.inputCount).isZero();
        assertThat(r.inputs[0].name).isNull();
        assertThat(r.fingerprintLength).isZero();
    }

    @Test
    void unknownSchemaVersionIsReportedClearly() {
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeShort(Records.MAGIC);
        bytes.writeUnsignedByte(Records.SCHEMA_VERSION + 1);
        bytes.writeUnsignedByte(RecordType.INFERENCE.code());
        bytes.writeLong(1);

        assertThatThrownBy(() -> Records.read(bytes))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("unsupported record schema version 2")
                .hasMessageContaining("understands version 1");
    }

    @Test
    void wrongMagicIsNotAnMlguardRecord() {
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeInt(0xCAFEBABE);
        assertThatThrownBy(() -> Records.read(bytes))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("not an mlguard record");
    }

    @Test
    void everyTruncationOfARecordIsAFormatError() {
        Bytes<?> full = Bytes.allocateElasticOnHeap();
        sampleInference().writeTo(full);
        byte[] all = full.toByteArray();
        for (int cut = 0; cut < all.length; cut++) {
            Bytes<?> truncated = Bytes.wrapForRead(java.util.Arrays.copyOf(all, cut));
            assertThatThrownBy(() -> Records.read(truncated))
                    .as("record cut at %d of %d bytes", cut, all.length)
                    .isInstanceOf(RecordFormatException.class);
        }
    }

    @Test
    void hostileCountsAreRejectedBeforeAllocation() {
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        Records.writeHeader(bytes, RecordType.INFERENCE);
        bytes.writeLong(1);
        bytes.writeLong(1);
        for (int i = 0; i < 3; i++) {
            bytes.writeUtf8("x");
        }
        bytes.writeLong(0);
        bytes.writeUnsignedByte(0);
        bytes.writeUtf8((String) null);
        bytes.writeUnsignedByte(0);
        for (int i = 0; i < 4; i++) {
            bytes.writeUtf8((String) null);
        }
        bytes.writeLong(1);
        bytes.writeUnsignedShort(60_000);

        assertThatThrownBy(() -> Records.read(bytes))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("input tensor count 60000 exceeds 16");
    }

    @Test
    void overlongStringsAreCutOnWrite() {
        InferenceRecord r = sampleInference();
        r.clientId = "x".repeat(Records.MAX_STRING + 100);
        Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        r.writeTo(bytes);
        InferenceRecord back = (InferenceRecord) Records.read(bytes);
        assertThat(back.clientId).hasSize(Records.MAX_STRING);
    }
}
