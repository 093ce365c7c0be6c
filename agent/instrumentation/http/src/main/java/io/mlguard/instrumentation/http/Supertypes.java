package io.mlguard.instrumentation.http;

/**
 * Finds a class or interface by name among a class's supertypes. Class loader: agent, which cannot
 * name the servers' types: it reaches them through the classes of the objects it is handed, so it
 * always uses the copy the server itself uses.
 */
final class Supertypes {
    private Supertypes() {}

    static Class<?> find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = find(i, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
