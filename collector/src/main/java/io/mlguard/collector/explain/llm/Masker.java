package io.mlguard.collector.explain.llm;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces identities and secrets in one prompt with stable placeholders ({@code CLIENT_1}, {@code
 * IP_1}, {@code EMAIL_1}, {@code TOKEN_1}, {@code MODEL_1}, {@code VALUE_1}) and maps them back in
 * the answer. The same raw string always gets the same placeholder within one prompt, so the LLM
 * can still reason about "the same client". Not thread-safe: one instance per prompt.
 */
public final class Masker {
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern IPV4 =
            Pattern.compile("(?<![\\d.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![\\d.])");
    private static final Pattern IPV6 =
            Pattern.compile(
                    "(?<![\\w:])(?=[0-9A-Fa-f:]*[0-9A-Fa-f])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])");
    // Bearer tokens, API keys (sk-..., ghp_...), JWTs and long opaque strings with digits.
    private static final Pattern TOKEN =
            Pattern.compile(
                    "(?i)(?:bearer\\s+)?\\b(?=[A-Za-z0-9_\\-.]*\\d)(?=[A-Za-z0-9_\\-.]*[A-Za-z])"
                            + "[A-Za-z0-9_\\-.]{24,}\\b");
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\b(?:CLIENT|IP|EMAIL|TOKEN|MODEL|VALUE)_\\d+\\b");

    private final Set<Disclosure> disclose;
    private final Map<String, String> byRaw = new HashMap<>();
    private final Map<String, String> byPlaceholder = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    public Masker(Set<Disclosure> disclose) {
        this.disclose = Set.copyOf(disclose);
    }

    /** The placeholder for a client identity (or the identity itself if disclosed). */
    public String client(String raw) {
        if (raw == null) {
            return null;
        }
        return disclose.contains(Disclosure.CLIENT_IDS) ? raw : placeholder("CLIENT", raw);
    }

    /** The placeholder for a model name (or the name itself if disclosed). */
    public String model(String raw) {
        if (raw == null) {
            return null;
        }
        return disclose.contains(Disclosure.MODEL_NAMES) ? raw : placeholder("MODEL", raw);
    }

    /** The placeholder for raw feature values (or their text if disclosed). */
    public String featureValue(String raw) {
        return disclose.contains(Disclosure.FEATURE_VALUES) ? raw : placeholder("VALUE", raw);
    }

    /**
     * Masks free text: identities already registered (longest first, so one that contains another
     * is replaced whole), then e-mail addresses, IP addresses and token-like strings.
     */
    public String text(String s) {
        if (s == null) {
            return null;
        }
        String out = s;
        for (String raw :
                byRaw.keySet().stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList()) {
            if (!raw.isEmpty()) {
                // Whole tokens only, so that a short client id "a" does not eat every "a".
                out =
                        Pattern.compile(
                                        "(?<![A-Za-z0-9_])"
                                                + Pattern.quote(raw)
                                                + "(?![A-Za-z0-9_])")
                                .matcher(out)
                                .replaceAll(Matcher.quoteReplacement(byRaw.get(raw)));
            }
        }
        out = replaceAll(out, EMAIL, "EMAIL");
        if (!disclose.contains(Disclosure.NETWORK_ADDRESSES)) {
            out = replaceAll(out, IPV4, "IP");
            out = replaceAll(out, IPV6, "IP");
        }
        return replaceAll(out, TOKEN, "TOKEN");
    }

    /** Puts the raw strings back in an answer; unknown placeholders stay as they are. */
    public String unmask(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String raw = byPlaceholder.getOrDefault(m.group(), m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(raw));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The raw string behind a placeholder, or {@code null}. */
    public String rawOf(String placeholder) {
        return byPlaceholder.get(placeholder);
    }

    private String replaceAll(String s, Pattern p, String kind) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String found = m.group();
            String replacement =
                    PLACEHOLDER.matcher(found).matches() ? found : placeholder(kind, found);
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String placeholder(String kind, String raw) {
        String known = byRaw.get(raw);
        if (known != null) {
            return known;
        }
        String p = kind + "_" + counters.merge(kind, 1, Integer::sum);
        byRaw.put(raw, p);
        byPlaceholder.put(p, raw);
        return p;
    }
}
