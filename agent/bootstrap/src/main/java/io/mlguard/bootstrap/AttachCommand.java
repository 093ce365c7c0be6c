package io.mlguard.bootstrap;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.io.PrintStream;

/**
 * {@code java -jar mlguard.jar attach <pid> [options]} and {@code list}: loads the agent into a
 * running JVM through the JDK attach API, where it instruments the classes already loaded
 * (retransformation) and everything loaded later. Class loader: system (run as a program, not as an
 * agent).
 */
final class AttachCommand {
    private AttachCommand() {}

    /** Returns the process exit code. */
    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        if (args.length >= 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                out.println(d.id() + "  " + d.displayName());
            }
            return 0;
        }
        if (args.length < 2 || args.length > 3 || !args[0].equals("attach")) {
            err.println("usage: java -jar mlguard.jar attach <pid> [key=value,...]");
            return 2;
        }
        String pid = args[1];
        if (!pid.chars().allMatch(Character::isDigit) || pid.isEmpty()) {
            err.println("mlguard attach: '" + pid + "' is not a process id");
            return 2;
        }
        String options = args.length == 3 ? args[2] : "";
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(agentJar.getAbsolutePath(), options);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("mlguard attach: cannot attach to process " + pid + ": " + e);
            return 1;
        }
        out.println(
                "mlguard attached to process "
                        + pid
                        + "; the agent reports to that process's standard error");
        return 0;
    }
}
