package io.mlguard.demo.data;

import java.util.ArrayList;
import java.util.List;

/** Splits ARFF text into tokens, honouring quotes and backslash escapes. */
final class ArffTokenizer {
    /** A leading name and the text after it. */
    record Split(String name, String rest) {}

    private ArffTokenizer() {}

    /** The first (possibly quoted) token of {@code text} and what follows it. */
    static Split name(String text) {
        String s = text.strip();
        StringBuilder name = new StringBuilder();
        int end = readToken(s, 0, ' ', name);
        if (name.length() == 0) {
            throw new IllegalArgumentException("missing attribute name");
        }
        return new Split(name.toString(), s.substring(end));
    }

    /**
     * The tokens of {@code text} separated by {@code separator} (a space also means any
     * whitespace); an unquoted {@code ?} becomes {@code null}.
     */
    static List<String> tokens(String text, char separator) {
        List<String> tokens = new ArrayList<>();
        int i = skipBlanks(text, 0);
        while (i < text.length()) {
            StringBuilder token = new StringBuilder();
            boolean quoted = text.charAt(i) == '\'' || text.charAt(i) == '"';
            i = readToken(text, i, separator, token);
            tokens.add(!quoted && token.toString().equals("?") ? null : token.toString());
            i = skipBlanks(text, i);
            if (i < text.length()) {
                if (text.charAt(i) != separator && separator != ' ') {
                    throw new IllegalArgumentException(
                            "expected '" + separator + "' at column " + (i + 1));
                }
                if (separator != ' ') {
                    i = skipBlanks(text, i + 1);
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("trailing '" + separator + "'");
                    }
                }
            }
        }
        return tokens;
    }

    /** Reads one token starting at {@code start}; returns the index just after it. */
    private static int readToken(String s, int start, char separator, StringBuilder out) {
        int i = start;
        char first = s.charAt(i);
        if (first == '\'' || first == '"') {
            i++;
            while (i < s.length() && s.charAt(i) != first) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    c = s.charAt(++i);
                }
                out.append(c);
                i++;
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unclosed quote in: " + s);
            }
            return i + 1;
        }
        while (i < s.length() && s.charAt(i) != separator && !Character.isWhitespace(s.charAt(i))) {
            out.append(s.charAt(i++));
        }
        return i;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
