package io.mlguard.it;

/** Open Inference Protocol request bodies, written by hand so non-finite values stay tokens. */
final class Requests {
    private Requests() {}

    static String infer(float[][] rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"inputs\":[{\"name\":\"input\",\"shape\":[")
                .append(rows.length)
                .append(',')
                .append(rows[0].length)
                .append("],\"datatype\":\"FP32\",\"data\":[");
        boolean first = true;
        for (float[] row : rows) {
            for (float v : row) {
                if (!first) {
                    sb.append(',');
                }
                sb.append(Float.toString(v));
                first = false;
            }
        }
        return sb.append("]}]}").toString();
    }
}
