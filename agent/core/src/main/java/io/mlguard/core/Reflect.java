package io.mlguard.core;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reflective calls of public no-argument getters, for model loads, which are rare and already slow
 * (never on an inference). Class loader: agent. The method is looked up on a public class or
 * interface of the target, since a public method of a non-public implementation class cannot be
 * invoked from outside its package.
 */
public final class Reflect {
    private Reflect() {}

    /** {@code target.name()}, or {@code null} if the target is null or has no such method. */
    public static Object call(Object target, String name) {
        if (target == null) {
            return null;
        }
        Method m = find(target.getClass(), name);
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name);
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                Method m = find(i, name);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }
}
