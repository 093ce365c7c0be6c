package io.mlguard.core;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * One of the agent's JNI shims: a small library built into the jar for Linux x86-64 ({@code
 * src/main/c} of its module), governed by an {@code auto}/{@code true}/{@code false} setting, and
 * loaded at most once, on first use. Class loader: agent. Whatever stops it (another platform, a
 * JDK that would warn about native access, a temporary folder that cannot hold or run the library,
 * a check of its own after loading) leaves the agent doing without it.
 */
public class NativeShim {
    private final Class<?> owner;
    private final String setting;
    private final String library;
    private final String prefix;

    private String mode = "auto";

    /** Whether loading was tried, and why the shim is not in use ({@code null}: it is). */
    private boolean tried;

    private String unavailable = "not loaded yet";

    /**
     * @param owner the class whose native methods the library implements, beside whose class file
     *     it is in the jar
     * @param setting the name of the setting that governs it
     * @param library the library's file name
     * @param prefix the start of its temporary file's name
     */
    public NativeShim(Class<?> owner, String setting, String library, String prefix) {
        this.owner = owner;
        this.setting = setting;
        this.library = library;
        this.prefix = prefix;
    }

    /** The setting's value: auto, true or false. */
    public synchronized void configure(String mode) {
        this.mode = mode;
    }

    public synchronized String mode() {
        return mode;
    }

    /**
     * Loads the library unless the setting or this JVM refuses it ({@link #refusal}), the first
     * time only; true if this call tried ({@link #unavailableReason} then says how it went).
     */
    public synchronized boolean loadOnce() {
        if (tried) {
            return false;
        }
        tried = true;
        String refusal = refusal(setting, mode, owner);
        unavailable = refusal != null ? refusal : load(owner, library, prefix);
        if (unavailable == null) {
            try {
                unavailable = checkLoaded();
            } catch (Throwable e) {
                unavailable = "the JNI shim failed: " + e;
            }
        }
        return true;
    }

    /**
     * Why the loaded library cannot be used after all, or {@code null}: a subclass's own check, run
     * once, after it loaded.
     */
    protected String checkLoaded() throws Throwable {
        return null;
    }

    /** Why the shim is not in use, or {@code null}: it is. */
    public synchronized String unavailableReason() {
        return tried ? unavailable : "not loaded yet";
    }

    /**
     * Why a shim is not to be loaded, or {@code null}: {@code setting} is the name of the setting
     * that governs it and {@code mode} its value. JDK 24 and later print a warning when a module
     * without native access enabled loads a native library (JEP 472): with {@code auto}, the agent
     * does not make the JDK write to a server's output.
     */
    public static String refusal(
            String setting,
            String mode,
            String os,
            String arch,
            int javaFeature,
            boolean nativeAccessEnabled) {
        if (mode.equals("false")) {
            return setting + "=false";
        }
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no library for " + os + " " + arch;
        }
        if (mode.equals("auto") && javaFeature >= 24 && !nativeAccessEnabled) {
            return "JDK "
                    + javaFeature
                    + " would print a native-access warning (start Java with"
                    + " --enable-native-access=ALL-UNNAMED, or set "
                    + setting
                    + "=true)";
        }
        return null;
    }

    /** {@link #refusal} for this JVM and platform, for a shim whose classes are {@code owner}'s. */
    public static String refusal(String setting, String mode, Class<?> owner) {
        return refusal(
                setting,
                mode,
                System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""),
                Runtime.version().feature(),
                nativeAccessEnabled(owner));
    }

    /** Whether {@code owner}'s module may use native code quietly (always, before JDK 22's API). */
    static boolean nativeAccessEnabled(Class<?> owner) {
        try {
            Method enabled = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) enabled.invoke(owner.getModule());
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: no native-access control
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Loads {@code library}, a resource beside {@code owner}'s class file, for {@code owner}'s
     * class loader: copied to a temporary file (named {@code prefix}...), loaded, and the file
     * deleted (the loaded library stays mapped). Returns {@code null}, or why it could not be
     * loaded.
     */
    static String load(Class<?> owner, String library, String prefix) {
        Path file = null;
        try (InputStream in = owner.getResourceAsStream(library)) {
            if (in == null) {
                return library + " is not in the agent's jar (built on another platform)";
            }
            file = Files.createTempFile(prefix, ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
            return null;
        } catch (Throwable e) { // IOException, UnsatisfiedLinkError (a noexec folder), ...
            return "loading " + library + " failed: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // a stale file in the temporary folder, nothing worse
                }
            }
        }
    }
}
