package io.mlguard.demo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the dense ARFF format (Weka's attribute-relation files) with numeric and nominal
 * attributes: {@code %} comments, single- or double-quoted names and values with backslash escapes,
 * {@code ?} for a missing value. String, date, relational and sparse data are rejected with an
 * error that names the line, never skipped.
 */
public final class ArffParser {
    private ArffParser() {}

    /** Parses a whole file. */
    public static ArffData parse(Reader source) throws IOException {
        BufferedReader in = new BufferedReader(source);
        String relation = "";
        List<ArffAttribute> attributes = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        boolean inData = false;
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("%")) {
                continue;
            }
            try {
                if (inData) {
                    rows.add(row(text, attributes));
                    continue;
                }
                String keyword = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                switch (keyword) {
                    case "@relation" -> relation = firstToken(text.substring(9));
                    case "@attribute" -> attributes.add(attribute(text.substring(10)));
                    case "@data" -> {
                        if (attributes.isEmpty()) {
                            throw new IllegalArgumentException("@data before any @attribute");
                        }
                        inData = true;
                    }
                    default -> throw new IllegalArgumentException("unexpected '" + keyword + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "ARFF line " + number + ": " + e.getMessage(), e);
            }
        }
        if (!inData) {
            throw new IllegalArgumentException("ARFF has no @data section");
        }
        return new ArffData(relation, attributes, rows);
    }

    private static String firstToken(String text) {
        List<String> tokens = ArffTokenizer.tokens(text, ' ');
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("missing name");
        }
        return tokens.get(0);
    }

    private static ArffAttribute attribute(String text) {
        ArffTokenizer.Split split = ArffTokenizer.name(text);
        String type = split.rest().strip();
        if (type.startsWith("{")) {
            if (!type.endsWith("}")) {
                throw new IllegalArgumentException("unclosed value list of " + split.name());
            }
            List<String> values = ArffTokenizer.tokens(type.substring(1, type.length() - 1), ',');
            if (values.isEmpty()) {
                throw new IllegalArgumentException("nominal " + split.name() + " has no values");
            }
            return new ArffAttribute(split.name(), values);
        }
        String lower = type.toLowerCase(Locale.ROOT);
        if (lower.equals("numeric") || lower.equals("real") || lower.equals("integer")) {
            return new ArffAttribute(split.name(), List.of());
        }
        throw new IllegalArgumentException(
                "attribute " + split.name() + " has unsupported type '" + type + "'");
    }

    private static double[] row(String text, List<ArffAttribute> attributes) {
        if (text.startsWith("{")) {
            throw new IllegalArgumentException("sparse rows are not supported");
        }
        List<String> values = ArffTokenizer.tokens(text, ',');
        if (values.size() != attributes.size()) {
            throw new IllegalArgumentException(
                    values.size() + " values for " + attributes.size() + " attributes");
        }
        double[] row = new double[values.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = value(attributes.get(i), values.get(i));
        }
        return row;
    }

    private static double value(ArffAttribute attribute, String token) {
        if (token == null) {
            return Double.NaN; // '?': missing
        }
        if (attribute.nominal()) {
            int index = attribute.indexOf(token);
            if (index < 0) {
                throw new IllegalArgumentException(
                        "'" + token + "' is not a value of " + attribute.name());
            }
            return index;
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + token + "' is not a number for " + attribute.name(), e);
        }
    }
}
