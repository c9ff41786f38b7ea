package dev.logtide.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM on the test classpath, for tests where JVM exit is the point
 * (shutdown hooks must deliver what was logged, and must not keep the JVM alive).
 */
public final class ChildJvm {
    /** How the child ended. */
    public static final class Result {
        /** Exit code, or -1 when it had to be killed. */
        public final int exitCode;
        /** Whether it exited on its own within the wait. */
        public final boolean exited;
        /** Everything it printed (stdout and stderr). */
        public final String output;

        Result(int exitCode, boolean exited, String output) {
            this.exitCode = exitCode;
            this.exited = exited;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit=" + exitCode + " exited=" + exited + " output:\n" + output;
        }
    }

    private ChildJvm() {
    }

    /**
     * @param mainClass  the class to run
     * @param jvmArgs    options such as {@code -Dkey=value}
     * @param args       program arguments
     * @param waitMillis how long to wait for it to exit before killing it
     * @return how it ended
     * @throws IOException when it cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    public static Result run(Class<?> mainClass, List<String> jvmArgs, List<String> args, long waitMillis)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(Arrays.asList(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmArgs);
        command.add(mainClass.getName());
        command.addAll(args);
        Path out = Files.createTempFile("child-jvm", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean exited = p.waitFor(waitMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            return new Result(exited ? p.exitValue() : -1, exited, output);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
