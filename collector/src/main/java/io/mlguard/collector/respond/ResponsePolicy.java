package io.mlguard.collector.respond;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the collector does about incidents beyond recording them: which incident types and
 * severities block or throttle their clients through the agents' control queue, and which notify
 * whom. Read from a JSON file ({@code --response-policy}); every mistake in it is reported with
 * where it is, and the collector does not start on a broken policy.
 *
 * <pre>{@code
 * {
 *   "notifiers": {"ops": {"format": "alertmanager", "url": "http://127.0.0.1:9093/api/v2/alerts"}},
 *   "rules": [
 *     {"types": ["query_attack", "extraction"], "minSeverity": "high",
 *      "block": "PT15M", "notify": ["ops"]},
 *     {"types": ["invalid_input"], "minSeverity": "high",
 *      "throttle": {"perSecond": 2, "for": "PT5M"}}
 *   ],
 *   "neverBlock": ["healthcheck"]
 * }
 * }</pre>
 */
public record ResponsePolicy(
        List<ResponseRule> rules, Map<String, Notifier> notifiers, Set<String> neverBlock) {

    /** The longest block or throttle a policy may ask for: every command must expire. */
    public static final Duration MAX_CONTROL_DURATION = Duration.ofDays(7);

    private static final ObjectMapper JSON = new ObjectMapper();

    public ResponsePolicy {
        rules = List.copyOf(rules);
        notifiers = Map.copyOf(notifiers);
        neverBlock = Set.copyOf(neverBlock);
    }

    /** A policy that does nothing. */
    public static ResponsePolicy none() {
        return new ResponsePolicy(List.of(), Map.of(), Set.of());
    }

    /** Whether any rule blocks or throttles clients. */
    public boolean controlsClients() {
        return rules.stream().anyMatch(ResponseRule::controlsClients);
    }

    /** Reads a policy file; an unreadable or invalid one is an {@link IllegalArgumentException}. */
    public static ResponsePolicy read(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a policy from JSON text. */
    public static ResponsePolicy parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a response policy is a JSON object");
        }
        onlyKeys(root, "response policy", "notifiers", "rules", "neverBlock");
        Map<String, Notifier> notifiers = notifiers(root.path("notifiers"));
        List<ResponseRule> rules = new ArrayList<>();
        JsonNode ruleNodes = root.path("rules");
        if (!ruleNodes.isMissingNode() && !ruleNodes.isArray()) {
            throw new IllegalArgumentException("'rules' must be a list");
        }
        for (int i = 0; i < ruleNodes.size(); i++) {
            String where = "rules[" + i + "]";
            try {
                rules.add(rule(ruleNodes.get(i), notifiers));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return new ResponsePolicy(
                rules, notifiers, new HashSet<>(strings(root.path("neverBlock"), "neverBlock")));
    }

    private static Map<String, Notifier> notifiers(JsonNode node) {
        Map<String, Notifier> out = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'notifiers' must be an object of name: notifier");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "notifiers." + e.getKey();
            JsonNode n = e.getValue();
            if (!n.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            onlyKeys(n, where, "format", "url");
            try {
                out.put(
                        e.getKey(),
                        new Notifier(
                                e.getKey(),
                                Notifier.Format.parse(text(n, "format", "webhook")),
                                new URI(required(n, "url"))));
            } catch (URISyntaxException | IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    private static ResponseRule rule(JsonNode n, Map<String, Notifier> notifiers) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("a rule is an object");
        }
        onlyKeys(n, "rule", "types", "minSeverity", "block", "throttle", "notify");
        Set<SignalType> types = EnumSet.noneOf(SignalType.class);
        for (String t : strings(n.path("types"), "types")) {
            types.add(SignalType.ofWireName(t));
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("'types' must name at least one incident type");
        }
        Severity minSeverity = Severity.ofWireName(text(n, "minSeverity", "low"));
        Duration block = n.has("block") ? duration(n.get("block"), "block") : null;
        double rate = 0;
        Duration throttleFor = null;
        if (n.has("throttle")) {
            JsonNode t = n.get("throttle");
            onlyKeys(t, "throttle", "perSecond", "for");
            rate = t.path("perSecond").asDouble(Double.NaN);
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("throttle.perSecond must be a number above 0");
            }
            throttleFor = duration(t.path("for"), "throttle.for");
        }
        if (block != null && throttleFor != null) {
            throw new IllegalArgumentException("a rule either blocks or throttles, not both");
        }
        if (block != null || throttleFor != null) {
            for (SignalType t : types) {
                if (!t.perClient()) {
                    throw new IllegalArgumentException(
                            "'"
                                    + t.wireName()
                                    + "' incidents concern a model, not a client: only"
                                    + " per-client types can block or throttle");
                }
            }
        }
        List<String> notify = new ArrayList<>(strings(n.path("notify"), "notify"));
        for (String name : notify) {
            if (!notifiers.containsKey(name)) {
                throw new IllegalArgumentException(
                        "notify names '" + name + "', which is not among 'notifiers'");
            }
        }
        if (block == null && throttleFor == null && notify.isEmpty()) {
            throw new IllegalArgumentException(
                    "the rule does nothing: give block, throttle or notify");
        }
        return new ResponseRule(types, minSeverity, block, rate, throttleFor, notify);
    }

    private static Duration duration(JsonNode n, String what) {
        if (!n.isTextual()) {
            throw new IllegalArgumentException(
                    what + " must be an ISO-8601 duration such as PT15M");
        }
        Duration d;
        try {
            d = Duration.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    what + ": '" + n.asText() + "' is not an ISO-8601 duration such as PT15M", e);
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_CONTROL_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be between PT1S and P7D, not " + d);
        }
        return d;
    }

    private static List<String> strings(JsonNode n, String what) {
        List<String> out = new ArrayList<>();
        if (n.isMissingNode()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("'" + what + "' must be a list of strings");
        }
        for (JsonNode s : n) {
            if (!s.isTextual() || s.asText().isBlank()) {
                throw new IllegalArgumentException("'" + what + "' must be a list of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String key, String fallback) {
        JsonNode v = n.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return v.asText();
    }

    private static String required(JsonNode n, String key) {
        String v = text(n, key, null);
        if (v == null) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return v;
    }

    private static void onlyKeys(JsonNode n, String where, String... allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of(allowed).contains(k)) {
                throw new IllegalArgumentException(
                        where
                                + ": unknown key '"
                                + k
                                + "' (expected "
                                + String.join(", ", allowed)
                                + ")");
            }
        }
    }
}
