package io.mlguard.instrumentation.http;

import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RequestAdapter;
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
    private final ServletRequestAdapter adapter;

    ServletModule(String namespace, int serverId) {
        this.namespace = namespace;
        this.serverId = serverId;
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
    public int serverId() {
        return serverId;
    }

    @Override
    public RequestAdapter requestAdapter() {
        return adapter;
    }
}
