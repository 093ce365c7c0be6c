package io.mlguard.demo.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.server.InferenceRequest.InputData;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Turns one element of a request's {@code inputs} array into typed, shape-checked data. */
final class TensorDecoder {
    private TensorDecoder() {}

    static InputData decode(JsonNode input, LoadedModel model) {
        if (!input.isObject()) {
            throw ApiException.badRequest("each element of \"inputs\" must be an object");
        }
        String name = requiredText(input, "name", "input");
        TensorSpec spec =
                model.inputs().stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        ApiException.badRequest(
                                                "unknown input '"
                                                        + name
                                                        + "' (model '"
                                                        + model.name()
                                                        + "' has inputs "
                                                        + inputNames(model)
                                                        + ")"));
        String where = "input '" + name + "'";
        String typeName = requiredText(input, "datatype", where);
        Datatype datatype = Datatype.parse(typeName);
        if (datatype == null) {
            throw ApiException.badRequest(where + ": unknown datatype '" + typeName + "'");
        }
        if (datatype != spec.datatype()) {
            throw ApiException.badRequest(
                    where + ": datatype " + datatype + " but the model expects " + spec.datatype());
        }
        if (!datatype.supportedForData()) {
            throw ApiException.badRequest(where + ": datatype " + datatype + " is not supported");
        }
        long[] shape = shape(input.get("shape"), where);
        if (!spec.accepts(shape)) {
            throw ApiException.badRequest(
                    where
                            + ": shape "
                            + text(shape)
                            + " does not fit the model's "
                            + spec.shapeText());
        }
        JsonNode data = input.get("data");
        if (data == null || data.isNull()) {
            throw ApiException.badRequest(where + ": \"data\" is missing");
        }
        long expected = elementCount(shape, where);
        long actual = countLeaves(data);
        if (actual != expected) {
            throw ApiException.badRequest(
                    where
                            + ": shape "
                            + text(shape)
                            + " needs "
                            + expected
                            + " values but \"data\" has "
                            + actual);
        }
        return new InputData(spec, shape, values(data, datatype, (int) actual, where));
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest(where + ": \"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static long[] shape(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest(where + ": \"shape\" must be a non-empty array");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 1) {
                throw ApiException.badRequest(
                        where + ": \"shape\" must hold positive integers, got " + node);
            }
            shape[i] = dim.asLong();
        }
        return shape;
    }

    /** Product of the dimensions, refusing sizes no request body could carry. */
    private static long elementCount(long[] shape, String where) {
        long count = 1;
        for (long dim : shape) {
            if (dim > Integer.MAX_VALUE / count) {
                throw ApiException.badRequest(where + ": shape " + text(shape) + " is too large");
            }
            count *= dim;
        }
        return count;
    }

    /** Scalars in a flat or nested array (a bare scalar counts as one). */
    private static long countLeaves(JsonNode node) {
        if (!node.isArray()) {
            return 1;
        }
        long n = 0;
        for (JsonNode child : node) {
            n += countLeaves(child);
        }
        return n;
    }

    private static Object values(JsonNode data, Datatype type, int count, String where) {
        Object array =
                switch (type) {
                    case FP32 -> new float[count];
                    case FP64 -> new double[count];
                    case INT32 -> new int[count];
                    case INT64 -> new long[count];
                    default -> throw new IllegalStateException("unsupported " + type);
                };
        fill(data, type, array, new int[] {0}, where);
        return array;
    }

    private static void fill(JsonNode node, Datatype type, Object array, int[] next, String where) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                fill(child, type, array, next, where);
            }
            return;
        }
        int i = next[0]++;
        // NaN and +-Infinity arrive as number tokens (DoubleNode) and pass through untouched
        boolean integral = node.isIntegralNumber();
        if (!node.isNumber() || (!integral && (type == Datatype.INT32 || type == Datatype.INT64))) {
            String expected = type == Datatype.FP32 || type == Datatype.FP64 ? "number" : "integer";
            throw ApiException.badRequest(
                    where + ": value " + i + " is not a " + expected + ": " + abbreviate(node));
        }
        switch (type) {
            case FP32 -> ((float[]) array)[i] = node.floatValue();
            case FP64 -> ((double[]) array)[i] = node.doubleValue();
            case INT32 -> {
                if (!node.canConvertToInt()) {
                    throw ApiException.badRequest(where + ": value " + i + " overflows INT32");
                }
                ((int[]) array)[i] = node.intValue();
            }
            case INT64 -> {
                if (!node.canConvertToLong()) {
                    throw ApiException.badRequest(where + ": value " + i + " overflows INT64");
                }
                ((long[]) array)[i] = node.longValue();
            }
            default -> throw new IllegalStateException("unsupported " + type);
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String inputNames(LoadedModel model) {
        return model.inputs().stream()
                .map(TensorSpec::name)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String text(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }
}
