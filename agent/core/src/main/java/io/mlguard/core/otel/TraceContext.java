package io.mlguard.core.otel;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Puts the current OpenTelemetry trace on an inference record: its trace and span id and, from the
 * server span the OpenTelemetry agent opened for the request, the client when that span knows more
 * than mlguard does. Class loader: agent. Works the same whether mlguard runs as the OpenTelemetry
 * agent's extension or as its own {@code -javaagent} beside it; without an OpenTelemetry agent it
 * does nothing.
 *
 * <p>The client comes from the server span when mlguard saw no request (a server only OpenTelemetry
 * instruments), or saw only the connection's address while the span has the configured client
 * header ({@code otel.instrumentation.http.server.capture-request-headers}) or a {@code
 * client.address} other than that connection (OpenTelemetry takes it from {@code Forwarded} and
 * {@code X-Forwarded-For}, so behind a proxy it is the real client). A client header mlguard read
 * itself always wins.
 */
public final class TraceContext {
    private static final String READABLE_SPAN = "io.opentelemetry.sdk.trace.ReadableSpan";

    private final String clientHeader;
    private volatile boolean looked;
    private OtelSpans spans;

    /** {@code ReadableSpan.getAttribute(key)} and {@code getKind()} of the agent's SDK. */
    private volatile MethodHandle attribute;

    private volatile MethodHandle kind;
    private Class<?> readableSpan;
    private volatile boolean sdkLooked;
    private Object serverKind;

    public TraceContext(String clientHeader) {
        this.clientHeader = clientHeader;
    }

    /** Whether an OpenTelemetry agent was found (after the first {@link #describe}). */
    public boolean present() {
        return spans != null;
    }

    /** Sets {@code traceId}, {@code spanId} and maybe the client of {@code r} from the trace. */
    public void describe(InferenceRecord r) throws Throwable {
        OtelSpans s = spans();
        if (s == null) {
            return;
        }
        Object span = (Object) s.currentSpan.invokeExact();
        Object context = (Object) s.spanContext.invokeExact(span);
        if (context == null || !(boolean) s.isValid.invokeExact(context)) {
            return;
        }
        r.traceId = (String) (Object) s.traceId.invokeExact(context);
        r.spanId = (String) (Object) s.spanId.invokeExact(context);
        if (r.clientIdSource != ClientIdSource.HEADER) {
            Object root =
                    (Object) s.localRootSpan.invokeExact((Object) s.currentContext.invokeExact());
            if (root != null) {
                clientFromServerSpan(s, root, r);
            }
        }
    }

    private void clientFromServerSpan(OtelSpans s, Object root, InferenceRecord r)
            throws Throwable {
        MethodHandle attr = sdk(s, root);
        // a span the SDK did not record (a sampler dropped it) has no attributes to read
        if (attr == null
                || !readableSpan.isInstance(root)
                || (Object) kind.invokeExact(root) != serverKind) {
            return;
        }
        if (s.clientHeaderKey != null) {
            Object values = (Object) attr.invokeExact(root, s.clientHeaderKey);
            if (values instanceof List && !((List<?>) values).isEmpty()) {
                Object first = ((List<?>) values).get(0);
                if (first instanceof String && !((String) first).isEmpty()) {
                    r.clientIdSource = ClientIdSource.OPENTELEMETRY;
                    r.clientId = (String) first;
                    return;
                }
            }
        }
        Object address = (Object) attr.invokeExact(root, s.clientAddressKey);
        if (address instanceof String
                && (r.clientIdSource == ClientIdSource.NONE || !address.equals(r.clientId))) {
            r.clientIdSource = ClientIdSource.OPENTELEMETRY;
            r.clientId = (String) address;
        }
    }

    private OtelSpans spans() {
        if (!looked) {
            synchronized (this) {
                if (!looked) {
                    spans = OtelSpans.find(clientHeader);
                    looked = true;
                }
            }
        }
        return spans;
    }

    /**
     * The SDK's span reader, found through the class loader of the first local root span seen (the
     * OpenTelemetry agent's own loader, which nothing else can name); {@code null} if the SDK is
     * not there.
     */
    private MethodHandle sdk(OtelSpans s, Object span) {
        if (sdkLooked) {
            return attribute;
        }
        ClassLoader sdkLoader = span.getClass().getClassLoader();
        if (sdkLoader == null) {
            return null; // a span of the API (propagated, not sampled): look at the next one
        }
        synchronized (this) {
            if (!sdkLooked) {
                try {
                    Class<?> readable = Class.forName(READABLE_SPAN, false, sdkLoader);
                    readableSpan = readable;
                    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                    Class<?> kindType =
                            Class.forName(OtelSpans.API + "api.trace.SpanKind", false, null);
                    serverKind = enumConstant(kindType, "SERVER");
                    kind =
                            lookup.findVirtual(readable, "getKind", MethodType.methodType(kindType))
                                    .asType(MethodType.methodType(Object.class, Object.class));
                    attribute =
                            lookup.findVirtual(
                                            readable,
                                            "getAttribute",
                                            MethodType.methodType(Object.class, s.attributeKeyType))
                                    .asType(
                                            MethodType.methodType(
                                                    Object.class, Object.class, Object.class));
                } catch (ReflectiveOperationException | LinkageError e) {
                    attribute = null;
                }
                sdkLooked = true;
            }
        }
        return attribute;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }
}
