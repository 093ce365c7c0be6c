package io.mlguard.benchmarks;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads this benchmark jar's classes itself (the runtimes' among them), with only the JDK's
 * platform classes from its parent: a second copy of each, which the agent is told to ignore by
 * this class's name ({@link WithAndWithoutAgent}).
 */
public final class BareLoader extends URLClassLoader {
    BareLoader() {
        super(
                new URL[] {BareLoader.class.getProtectionDomain().getCodeSource().getLocation()},
                ClassLoader.getPlatformClassLoader());
    }
}
