package io.mlguard.core;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Grants the agent's own module the JDK internals Chronicle Queue needs, so users add no {@code
 * --add-opens} flags. Class loader: agent. {@code Add-Opens} in an agent manifest is ignored, but
 * {@link Instrumentation#redefineModule} works on 17 and 25. Only the agent's unnamed module gets
 * access, not the application.
 */
final class ModuleOpener {
    private static final String[] EXPORTS = {"sun.nio.ch", "jdk.internal.ref", "jdk.internal.misc"};
    private static final String[] OPENS = {
        "java.lang", "java.lang.reflect", "java.io", "java.util", "java.nio", "sun.nio.ch"
    };

    private ModuleOpener() {}

    static void openForChronicle(Instrumentation inst, Module agent) {
        Module base = Object.class.getModule();
        Map<String, Set<Module>> exports = new java.util.HashMap<>();
        for (String p : EXPORTS) {
            exports.put(p, Set.of(agent));
        }
        Map<String, Set<Module>> opens = new java.util.HashMap<>();
        for (String p : OPENS) {
            opens.put(p, Set.of(agent));
        }
        inst.redefineModule(base, Set.of(), exports, opens, Set.of(), Map.of());
        // no lambda here: each lambda costs a class spun at its first use, on the start path
        java.util.Optional<Module> unsupported = ModuleLayer.boot().findModule("jdk.unsupported");
        if (unsupported.isPresent()) {
            inst.redefineModule(
                    unsupported.get(),
                    Set.of(),
                    Map.of("sun.misc", Set.of(agent)),
                    Map.of("sun.misc", Set.of(agent)),
                    Set.of(),
                    Map.of());
        }
    }
}
