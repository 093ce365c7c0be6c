package io.mlguard.instrumentation.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Method handles to {@code HttpServletRequest}'s {@code getHeader}, {@code getRemoteAddr} and
 * {@code getRequestURI}, found once per request class. Class loader: agent, which cannot see the
 * servlet API by name: the interface is found among the request class's own supertypes, so the copy
 * the container uses is the one called.
 */
final class ServletAccess {
    private static final MethodType STRING_OF_OBJECT =
            MethodType.methodType(String.class, Object.class);

    final MethodHandle getHeader;
    final MethodHandle getRemoteAddr;
    final MethodHandle getRequestUri;

    private ServletAccess(Class<?> api) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        getHeader =
                lookup.unreflect(api.getMethod("getHeader", String.class))
                        .asType(MethodType.methodType(String.class, Object.class, String.class));
        getRemoteAddr = lookup.unreflect(api.getMethod("getRemoteAddr")).asType(STRING_OF_OBJECT);
        getRequestUri = lookup.unreflect(api.getMethod("getRequestURI")).asType(STRING_OF_OBJECT);
    }

    /** One {@code ClassValue} per servlet API namespace ({@code jakarta} or {@code javax}). */
    static ClassValue<ServletAccess> forApi(String namespace) {
        String name = namespace + ".servlet.http.HttpServletRequest";
        return new ClassValue<>() {
            @Override
            protected ServletAccess computeValue(Class<?> requestClass) {
                Class<?> api = Supertypes.find(requestClass, name);
                if (api == null) {
                    return null;
                }
                try {
                    return new ServletAccess(api);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        };
    }
}
