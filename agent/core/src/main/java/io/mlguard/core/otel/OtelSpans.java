package io.mlguard.core.otel;

import io.mlguard.core.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * The OpenTelemetry Java agent's API, found by name on the bootstrap class path where that agent
 * puts it (relocated under {@code io.opentelemetry.javaagent.shaded}). Class loader: agent.
 *
 * <p>mlguard bundles no OpenTelemetry class and adds none to any class path: when no OpenTelemetry
 * agent runs, the lookup fails once and every later call costs one field read. The lookup is made
 * at the first inference, not when mlguard starts, so that the OpenTelemetry agent may start before
 * or after mlguard ({@code -javaagent} order, or mlguard as its extension). Calls go through method
 * handles resolved once; reading a span allocates nothing.
 */
final class OtelSpans {
    static final String API = "io.opentelemetry.javaagent.shaded.io.opentelemetry.";
    private static final String INSTRUMENTER =
            "io.opentelemetry.javaagent.shaded.instrumentation.api.instrumenter.";
    private static final MethodType OBJECT_TO_OBJECT =
            MethodType.methodType(Object.class, Object.class);

    /** {@code Span.current()}. */
    final MethodHandle currentSpan;

    /** {@code Span.getSpanContext()}. */
    final MethodHandle spanContext;

    /** {@code SpanContext.isValid()}. */
    final MethodHandle isValid;

    /** {@code SpanContext.getTraceId()}, a hex string kept by the span context. */
    final MethodHandle traceId;

    /** {@code SpanContext.getSpanId()}. */
    final MethodHandle spanId;

    /** {@code LocalRootSpan.fromContextOrNull(Context.current())}: the server span, if any. */
    final MethodHandle localRootSpan;

    /** {@code Context.current()}. */
    final MethodHandle currentContext;

    /** {@code AttributeKey.stringKey("client.address")}. */
    final Object clientAddressKey;

    /** {@code AttributeKey.stringArrayKey("http.request.header.<clientHeader>")}, or null. */
    final Object clientHeaderKey;

    /** The attribute key type, to find {@code ReadableSpan.getAttribute} once a span is seen. */
    final Class<?> attributeKeyType;

    private OtelSpans(String clientHeader) throws Throwable {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> span = Class.forName(API + "api.trace.Span", false, null);
        Class<?> spanContextType = Class.forName(API + "api.trace.SpanContext", false, null);
        Class<?> context = Class.forName(API + "context.Context", false, null);
        attributeKeyType = Class.forName(API + "api.common.AttributeKey", false, null);
        currentSpan =
                lookup.findStatic(span, "current", MethodType.methodType(span))
                        .asType(MethodType.methodType(Object.class));
        spanContext =
                lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContextType))
                        .asType(OBJECT_TO_OBJECT);
        isValid =
                lookup.findVirtual(spanContextType, "isValid", MethodType.methodType(boolean.class))
                        .asType(MethodType.methodType(boolean.class, Object.class));
        traceId =
                lookup.findVirtual(
                                spanContextType, "getTraceId", MethodType.methodType(String.class))
                        .asType(OBJECT_TO_OBJECT);
        spanId =
                lookup.findVirtual(
                                spanContextType, "getSpanId", MethodType.methodType(String.class))
                        .asType(OBJECT_TO_OBJECT);
        currentContext =
                lookup.findStatic(context, "current", MethodType.methodType(context))
                        .asType(MethodType.methodType(Object.class));
        Class<?> localRoot = Class.forName(INSTRUMENTER + "LocalRootSpan", false, null);
        localRootSpan =
                lookup.findStatic(
                                localRoot,
                                "fromContextOrNull",
                                MethodType.methodType(span, context))
                        .asType(OBJECT_TO_OBJECT);
        clientAddressKey =
                lookup.findStatic(
                                attributeKeyType,
                                "stringKey",
                                MethodType.methodType(attributeKeyType, String.class))
                        .invoke("client.address");
        clientHeaderKey =
                clientHeader == null || clientHeader.isEmpty()
                        ? null
                        : lookup.findStatic(
                                        attributeKeyType,
                                        "stringArrayKey",
                                        MethodType.methodType(attributeKeyType, String.class))
                                .invoke(
                                        "http.request.header."
                                                + clientHeader.toLowerCase(Locale.ROOT));
    }

    /** The API of the OpenTelemetry agent in this JVM, or {@code null} when there is none. */
    static OtelSpans find(String clientHeader) {
        try {
            Class.forName(API + "api.trace.Span", false, null);
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        try {
            OtelSpans s = new OtelSpans(clientHeader);
            AgentLog.info("OpenTelemetry agent found: records carry its trace and span ids");
            return s;
        } catch (Throwable t) {
            AgentLog.once(
                    "otel-api",
                    "an OpenTelemetry agent runs but its API is not the one mlguard knows;"
                            + " records carry no trace ids: "
                            + t);
            return null;
        }
    }
}
