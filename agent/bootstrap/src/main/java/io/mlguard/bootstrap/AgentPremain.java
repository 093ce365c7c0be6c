package io.mlguard.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The entry point of {@code -javaagent:mlguard.jar}. Class loader: system (the JVM loads it from
 * the agent jar). It must never stop the application from starting: any failure is printed as one
 * line and the application runs on without the agent.
 *
 * <p>It appends mlguard.jar to the bootstrap search path (so that the {@link Dispatcher} that
 * advice calls is visible from every class loader), creates the hidden {@link AgentClassLoader} and
 * hands over to the installer inside it.
 */
public final class AgentPremain {
    static final String INSTALLER = "io.mlguard.core.AgentInstaller";

    private static volatile boolean started;

    private AgentPremain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** {@code java -jar mlguard.jar}: explains how the agent is used. */
    public static void main(String[] args) {
        System.out.println(Usage.TEXT);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean dynamic) {
        if (started) {
            System.err.println("[mlguard] agent already started; ignoring a second start");
            return;
        }
        try {
            URL location = AgentPremain.class.getProtectionDomain().getCodeSource().getLocation();
            File jarPath = new File(location.toURI());
            JarFile jar = new JarFile(jarPath, false);
            inst.appendToBootstrapClassLoaderSearch(jar);
            AgentClassLoader loader =
                    new AgentClassLoader(
                            new JarFile(jarPath, false),
                            jarPath.toURI().toURL(),
                            ClassLoader.getPlatformClassLoader());
            Class<?> installer = Class.forName(INSTALLER, true, loader);
            Method install =
                    installer.getMethod(
                            "install",
                            Instrumentation.class,
                            String.class,
                            File.class,
                            boolean.class);
            install.invoke(null, inst, args, jarPath, dynamic);
            started = true;
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (Throwable t) {
            failed(t);
        }
    }

    private static void failed(Throwable t) {
        System.err.println("[mlguard] agent not started, the application runs without it: " + t);
        if (Boolean.getBoolean("mlguard.debug")) {
            t.printStackTrace();
        }
    }
}
