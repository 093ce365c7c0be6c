package io.mlguard.collector.report;

/** HTML escaping for text and attribute values: every outside string goes through here. */
public final class Html {
    private Html() {}

    /** Escapes {@code & < > " '}; {@code null} becomes the empty string. */
    public static String escape(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    // Control characters have no business in a report and can confuse parsers.
                    b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
