package io.mlguard.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The class loaders whose classes the agent leaves as they are ({@code ignoreLoaders}): a plugin's
 * loader whose inferences are not to be watched, or a benchmark's second copy of a runtime that it
 * compares with the instrumented one in the same JVM. Each entry is a class loader's class name, or
 * a prefix of such names ending in {@code *}; entries are separated by {@code ;}. The bootstrap
 * loader (the JDK's own classes) cannot be ignored. Class loader: agent.
 */
public final class IgnoredLoaders {
    public static final IgnoredLoaders NONE = new IgnoredLoaders(new String[0], new String[0]);

    private final String[] names;
    private final String[] prefixes;

    private IgnoredLoaders(String[] names, String[] prefixes) {
        this.names = names;
        this.prefixes = prefixes;
    }

    /**
     * Parses the setting's value; {@code null} or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException for an entry that is not a class name (or a prefix of one
     *     ending in {@code *})
     */
    public static IgnoredLoaders parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String part : value.split(";")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            boolean prefix = entry.endsWith("*");
            String name = prefix ? entry.substring(0, entry.length() - 1) : entry;
            if (!isClassName(name, prefix)) {
                throw new IllegalArgumentException(
                        "mlguard setting ignoreLoaders: '"
                                + entry
                                + "' is not a class loader's class name (or a prefix of names"
                                + " ending in *)");
            }
            (prefix ? prefixes : names).add(name);
        }
        return new IgnoredLoaders(names.toArray(new String[0]), prefixes.toArray(new String[0]));
    }

    /** A binary class name, or for a prefix any non-empty start of one (it may end in '.'). */
    private static boolean isClassName(String s, boolean prefix) {
        if (s.isEmpty()) {
            return false;
        }
        boolean segmentStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (segmentStart) {
                    return false; // empty segment
                }
                segmentStart = true;
            } else if (segmentStart
                    ? Character.isJavaIdentifierStart(c)
                    : Character.isJavaIdentifierPart(c)) {
                segmentStart = false;
            } else {
                return false;
            }
        }
        return prefix || !segmentStart;
    }

    /** Whether nothing is ignored. */
    public boolean isEmpty() {
        return names.length == 0 && prefixes.length == 0;
    }

    /** Whether classes defined by {@code loader} are left as they are. */
    public boolean ignores(ClassLoader loader) {
        if (loader == null || isEmpty()) {
            return false;
        }
        String cls = loader.getClass().getName();
        for (String n : names) {
            if (n.equals(cls)) {
                return true;
            }
        }
        for (String p : prefixes) {
            if (cls.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
