package io.mlguard.instrumentation.http;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RequestAdapter;
import io.mlguard.core.TypeAdvice;
import java.util.List;

/**
 * Request attribution for servlet containers on one servlet API namespace ({@code jakarta} or
 * {@code javax}). Class loader: agent. The hook is on the API's own {@code HttpServlet} by exact
 * name, whatever the container, so the light weaver applies it at premain and no class hierarchy is
 * matched.
 */
abstract class ServletModule implements InstrumentationModule {
    private final String namespace;
    private final int serverId;
    private final Class<?> advice;
    private final ServletRequestAdapter adapter;

    /**
     * @param advice the advice class for this namespace (its dispatcher server id is a constant
     *     inlined into the servlet, hence one class per namespace)
     */
    ServletModule(String namespace, int serverId, Class<?> advice) {
        this.namespace = namespace;
        this.serverId = serverId;
        this.advice = advice;
        this.adapter = new ServletRequestAdapter(namespace);
    }

    @Override
    public String name() {
        return namespace + "-servlet";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.request(
                        namespace + ".servlet.http.HttpServlet",
                        Methods.named("service")
                                .isPublic()
                                .takesArguments(2)
                                .takesArgument(0, namespace + ".servlet.ServletRequest"),
                        serverId,
                        Value.arg(0)));
    }

    @Override
    public List<TypeAdvice> typeAdvice() {
        return List.of(
                TypeAdvice.on(namespace + ".servlet.http.HttpServlet")
                        .advise(
                                named("service")
                                        .and(isPublic())
                                        .and(takesArguments(2))
                                        .and(
                                                takesArgument(
                                                        0,
                                                        named(
                                                                namespace
                                                                        + ".servlet.ServletRequest"))),
                                advice));
    }

    @Override
    public int serverId() {
        return serverId;
    }

    @Override
    public RequestAdapter requestAdapter() {
        return adapter;
    }
}
