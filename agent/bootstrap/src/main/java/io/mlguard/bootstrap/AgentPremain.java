package io.mlguard.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * The entry point of {@code -javaagent:mlguard.jar}. Class loader: system (the JVM loads it from
 * the agent jar). It must never stop the application from starting: any failure is printed as one
 * line and the application runs on without the agent.
 *
 * <p>It appends mlguard.jar to the bootstrap search path (so that the {@link Dispatcher} that the
 * woven hooks call is visible from every class loader), creates the hidden {@link AgentClassLoader}
 * and hands over to the installer inside it.
 */
public final class AgentPremain {
    /** Calls {@code AgentInstaller.install} in the agent's loader; see {@code PremainEntry}. */
    static final String ENTRY = "io.mlguard.core.PremainEntry";

    private static volatile boolean started;

    private AgentPremain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false, null);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true, null);
    }

    /**
     * The OpenTelemetry Java agent's extension listener calls this from the OpenTelemetry agent's
     * premain, before the application's main: the same start as {@link #premain}, configured from
     * {@code -Dmlguard.*} and {@code MLGUARD_*} (an extension has no agent argument). This class is
     * then defined by the OpenTelemetry extension loader, whose code source is not the jar's file,
     * hence the jar is given.
     *
     * @param jar mlguard.jar on disk
     */
    public static void startAsExtension(Instrumentation inst, File jar) {
        // OpenTelemetry runs its listeners late when the application brings its own JUL log
        // manager; a runtime or server class loaded by then is retransformed, as on attach
        start(null, inst, watchedClassLoaded(inst), jar);
    }

    private static boolean watchedClassLoaded(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (DeferredTransformer.watches(c.getName().replace('.', '/'))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code java -jar mlguard.jar}: {@code attach <pid> [options]}, {@code list}, or the usage
     * text.
     */
    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("attach") || args[0].equals("list"))) {
            int code;
            try {
                URL location =
                        AgentPremain.class.getProtectionDomain().getCodeSource().getLocation();
                code = AttachCommand.run(args, new File(location.toURI()), System.out, System.err);
            } catch (java.net.URISyntaxException | LinkageError e) {
                System.err.println("mlguard attach: " + e);
                code = 1;
            }
            System.exit(code);
        }
        System.out.println(Usage.TEXT);
        if (args.length > 0 && !args[0].equals("--help") && !args[0].equals("help")) {
            System.err.println("unknown command: " + args[0]);
            System.exit(2);
        }
    }

    private static synchronized void start(
            String args, Instrumentation inst, boolean dynamic, File jar) {
        if (started) {
            System.err.println("[mlguard] agent already started; ignoring a second start");
            return;
        }
        started = true;
        if (anotherCopyStarted()) {
            // -javaagent:mlguard.jar and the OpenTelemetry extension in one JVM: two copies of this
            // class (system and extension loader), one agent; the first to start wins
            System.err.println(
                    "[mlguard] agent already started by another copy of mlguard.jar in this JVM;"
                            + " ignoring this one");
            return;
        }
        try {
            File jarPath = jar != null ? jar : agentJar();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jarPath, false));
            AgentClassLoader loader =
                    new AgentClassLoader(
                            new JarFile(jarPath, false),
                            jarPath.toURI().toURL(),
                            ClassLoader.getPlatformClassLoader());
            // an interface call, not Method.invoke: no method-handle classes spun on the start path
            @SuppressWarnings("unchecked")
            Consumer<Object[]> install =
                    (Consumer<Object[]>)
                            Class.forName(ENTRY, true, loader)
                                    .getDeclaredConstructor()
                                    .newInstance();
            if (dynamic) {
                // attached to a running JVM: install now, retransforming what is loaded
                install.accept(new Object[] {inst, args, jarPath, null});
                return;
            }
            // at premain: the application starts now, the agent in the background
            DeferredTransformer deferred = new DeferredTransformer();
            inst.addTransformer(deferred, false);
            Thread init =
                    new Thread(
                            new InitTask(install, inst, args, jarPath, deferred), "mlguard-init");
            init.setDaemon(true);
            deferred.initializingOn(init);
            init.start();
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** mlguard.jar itself, from the code source of this class ({@code -javaagent} or attach). */
    static File agentJar() throws java.net.URISyntaxException {
        return new File(
                AgentPremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * Whether an mlguard agent loaded through another class loader already appended its jar to the
     * bootstrap search path: the dispatcher is then visible there. The bootstrap loader is the one
     * place both copies share.
     */
    private static boolean anotherCopyStarted() {
        try {
            Class.forName("io.mlguard.bootstrap.Dispatcher", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void failed(Throwable t) {
        System.err.println("[mlguard] agent not started, the application runs without it: " + t);
        if (Boolean.getBoolean("mlguard.debug")) {
            t.printStackTrace();
        }
    }
}
