package io.mlguard.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 hashes of the model files an operator shipped, in the format {@code sha256sum} prints
 * ({@code <64 hex> <path>} per line, {@code #} comments), so a CI step can produce it. Only the
 * hashes matter: the same model can be mounted at a different path in production.
 */
public final class AllowList {
    // sha256sum writes "hash  path" (text mode) or "hash *path" (binary mode); a leading
    // backslash marks a path it had to escape. A bare hash is accepted as well.
    private static final Pattern LINE =
            Pattern.compile("^\\\\?([0-9a-fA-F]{64})(?:[ \\t]+\\*?.*)?$");

    private final Set<String> hashes;
    private final Set<Long> prefixes;

    private AllowList(Set<String> hashes) {
        this.hashes = Collections.unmodifiableSet(hashes);
        Set<Long> p = new HashSet<>();
        for (String h : hashes) {
            p.add(Long.parseUnsignedLong(h.substring(0, 16), 16));
        }
        this.prefixes = Collections.unmodifiableSet(p);
    }

    /** Reads and checks a file; any malformed line is an error that names the line. */
    public static AllowList load(Path file) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read allow-list " + file + ": " + e, e);
        }
        return parse(lines, file.toString());
    }

    /** Parses lines; {@code origin} names the source in error messages. */
    public static AllowList parse(List<String> lines, String origin) throws UsageException {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new UsageException(
                        "allow-list "
                                + origin
                                + " line "
                                + (i + 1)
                                + ": expected '<64 hex digits>  <path>' (sha256sum output), found \""
                                + printable(line)
                                + "\"");
            }
            hashes.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        if (hashes.isEmpty()) {
            throw new UsageException(
                    "allow-list " + origin + " lists no hash: every model load would be flagged");
        }
        return new AllowList(hashes);
    }

    /** Whether a full hex SHA-256 (any case) is listed. */
    public boolean contains(String sha256Hex) {
        return sha256Hex != null && hashes.contains(sha256Hex.toLowerCase(Locale.ROOT));
    }

    /** Whether some listed hash starts with these 8 bytes (what inference records carry). */
    public boolean containsPrefix(long hashPrefix) {
        return prefixes.contains(hashPrefix);
    }

    public int size() {
        return hashes.size();
    }

    // The offending line goes into a one-line error: cut it and make control characters visible.
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
