package io.mlguard.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The hidden class loader of the agent. Class loader of this class: bootstrap. It defines the
 * agent's classes and its relocated dependencies from the entries under {@code inst/} of
 * mlguard.jar, where class files are stored as {@code .classdata} so that no other loader (the
 * system loader has the jar on its class path) can ever define them.
 *
 * <p>Its parent is the platform loader: the agent sees the JDK, never the application's classes, so
 * an application's own Byte Buddy or Chronicle cannot clash with the agent's.
 */
public final class AgentClassLoader extends ClassLoader {
    /** The folder of mlguard.jar that holds the hidden classes and resources. */
    public static final String PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    /** The Java feature version, for multi-release entries under {@code inst/META-INF/versions}. */
    private static final int FEATURE = Runtime.version().feature();

    private final JarFile jar;

    /**
     * The multi-release versions present under {@code inst/META-INF/versions}, highest first and
     * none above the running Java: found once, so that a class lookup does not try every version
     * from the running one down to 9 (nine to seventeen failed lookups per class otherwise; the
     * built jar has none).
     */
    private final int[] versions;

    private final String jarUrl;
    private final ProtectionDomain domain;

    public AgentClassLoader(JarFile jar, URL jarLocation, ClassLoader parent) {
        super("mlguard", parent);
        this.jar = jar;
        this.versions = versionsIn(jar);
        this.jarUrl = "jar:" + jarLocation.toExternalForm() + "!/";
        this.domain =
                new ProtectionDomain(
                        new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = versionedEntry(name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        String path = entry.getName();
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + path, e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot <= 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
            try {
                definePackage(pkg, null, null, null, null, null, null, null);
            } catch (IllegalArgumentException raced) {
                // another thread defined it first: fine
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        String path = hiddenPath(name);
        if (path == null) {
            return null;
        }
        try {
            return new URL(jarUrl + path);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null
                ? Collections.emptyEnumeration()
                : Collections.enumeration(java.util.List.of(url));
    }

    /**
     * The versions with a directory entry {@code inst/META-INF/versions/N/}: the jar task that
     * builds mlguard.jar writes directory entries, and looking them up once is cheaper than listing
     * the jar's entries.
     */
    private static int[] versionsIn(JarFile jar) {
        int[] found = new int[Math.max(0, FEATURE - 8)];
        int n = 0;
        for (int v = FEATURE; v >= 9; v--) {
            if (jar.getJarEntry(PREFIX + "META-INF/versions/" + v + "/") != null) {
                found[n++] = v;
            }
        }
        return java.util.Arrays.copyOf(found, n);
    }

    /**
     * Where a resource of the agent is stored in mlguard.jar (class files are renamed), or {@code
     * null} if it is not there.
     */
    String hiddenPath(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (n.endsWith(".class")) {
            n = n.substring(0, n.length() - ".class".length()) + ".classdata";
        }
        return versioned(n);
    }

    /**
     * The entry for a path, honouring multi-release: the highest {@code inst/META-INF/versions/N/}
     * copy with N no greater than the running Java, else the base one.
     */
    private String versioned(String relative) {
        JarEntry e = versionedEntry(relative);
        return e == null ? null : e.getName();
    }

    private JarEntry versionedEntry(String relative) {
        for (int v : versions) {
            JarEntry e = jar.getJarEntry(PREFIX + "META-INF/versions/" + v + "/" + relative);
            if (e != null) {
                return e;
            }
        }
        return jar.getJarEntry(PREFIX + relative);
    }
}
