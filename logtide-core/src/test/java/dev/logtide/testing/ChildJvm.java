package dev.logtide.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a main class in a child JVM on the test classpath, for tests where JVM exit is the point
 * (shutdown hooks must deliver what was logged, and must not keep the JVM alive): either to the end
 * ({@link #run}) or started, talked to, and stopped with SIGTERM ({@link #start}).
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
        try (Running child = start(mainClass, jvmArgs, args, Collections.emptyMap())) {
            return child.awaitExit(waitMillis);
        }
    }

    /**
     * Starts a main class in a child JVM and returns at once, for tests that talk to the child
     * while it runs and then stop it the way production does ({@link Running#terminate}).
     *
     * @param mainClass   the class to run
     * @param jvmArgs     options such as {@code -Dkey=value}
     * @param args        program arguments
     * @param environment variables to change in the child's environment (otherwise this JVM's);
     *                    a {@code null} value removes the variable
     * @return the running child; close it to kill it if it is still alive
     * @throws IOException when it cannot be started
     */
    public static Running start(Class<?> mainClass, List<String> jvmArgs, List<String> args,
                                Map<String, String> environment) throws IOException {
        return start(System.getProperty("java.class.path"), mainClass.getName(), jvmArgs, args, environment);
    }

    /**
     * Like {@link #start(Class, List, List, Map)} on a class path of the caller's, for an application
     * whose class path must differ from the test's (as its own build resolved it).
     *
     * @param classPath   the child's class path, entries separated by {@link File#pathSeparator}
     * @param mainClass   the name of the class to run
     * @param jvmArgs     options such as {@code -Dkey=value}
     * @param args        program arguments
     * @param environment variables to change in the child's environment (otherwise this JVM's);
     *                    a {@code null} value removes the variable
     * @return the running child; close it to kill it if it is still alive
     * @throws IOException when it cannot be started
     */
    public static Running start(String classPath, String mainClass, List<String> jvmArgs, List<String> args,
                                Map<String, String> environment) throws IOException {
        return start(java(), classPath, mainClass, jvmArgs, args, environment);
    }

    /**
     * Like {@link #start(String, String, List, List, Map)} with another JDK's launcher, for what
     * only a newer Java can run (virtual threads).
     *
     * @param java        the {@code java} launcher to run
     * @param classPath   the child's class path, entries separated by {@link File#pathSeparator}
     * @param mainClass   the name of the class to run
     * @param jvmArgs     options such as {@code -Dkey=value}
     * @param args        program arguments
     * @param environment variables to change in the child's environment; {@code null} removes one
     * @return the running child; close it to kill it if it is still alive
     * @throws IOException when it cannot be started
     */
    public static Running start(String java, String classPath, String mainClass, List<String> jvmArgs,
                                List<String> args, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(Arrays.asList(java, "-cp", classPath));
        command.addAll(jvmArgs);
        command.add(mainClass);
        command.addAll(args);
        return start(command, environment);
    }

    /** This JVM's {@code java} launcher. */
    static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** Runs a whole command line (the launcher first) and waits for it as {@link #run(Class, List, List, long)} does. */
    static Result run(List<String> command, long waitMillis) throws IOException, InterruptedException {
        try (Running child = start(command, Collections.emptyMap())) {
            return child.awaitExit(waitMillis);
        }
    }

    private static Running start(List<String> command, Map<String, String> environment) throws IOException {
        Path out = Files.createTempFile("child-jvm", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            return new Running(builder.start(), out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    /** A child JVM that is running, with its stdout and stderr collected in a file. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;

        Running(Process process, Path out) {
            this.process = process;
            this.out = out;
        }

        /** @return everything the child printed so far (stdout and stderr) */
        public String output() {
            try {
                return new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Waits (polling) until the child's output matches {@code pattern}.
         *
         * @param pattern    what to look for in everything printed so far
         * @param waitMillis the longest wait
         * @return the first match
         * @throws AssertionError with the child's output, when the child exits or the time runs out first
         * @throws InterruptedException when interrupted while waiting
         */
        public MatchResult awaitOutput(Pattern pattern, long waitMillis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (true) {
                boolean alive = process.isAlive();
                String output = output();
                Matcher m = pattern.matcher(output);
                if (m.find()) {
                    return m.toMatchResult();
                }
                if (!alive || System.nanoTime() > end) {
                    throw new AssertionError("the child " + (alive ? "did not print" : "exited without printing")
                            + " /" + pattern + "/ " + (alive ? "within " + waitMillis + " ms" : "(exit " + process.exitValue() + ")")
                            + "; its output:\n" + output);
                }
                Thread.sleep(20);
            }
        }

        /**
         * Stops the child as a service manager does: SIGTERM on Linux and macOS
         * ({@link Process#destroy()}), so its shutdown hooks run; then waits for it to exit.
         *
         * @param waitMillis how long to wait for it to exit before killing it
         * @return how it ended
         * @throws InterruptedException when interrupted while waiting
         */
        public Result terminate(long waitMillis) throws InterruptedException {
            process.destroy();
            return awaitExit(waitMillis);
        }

        /**
         * Kills the child as a crash or the OOM killer does: SIGKILL on Linux and macOS
         * ({@link Process#destroyForcibly()}), so no shutdown hook runs.
         *
         * @param waitMillis how long to wait for it to be gone
         * @return how it ended
         * @throws InterruptedException when interrupted while waiting
         */
        public Result kill(long waitMillis) throws InterruptedException {
            process.destroyForcibly();
            return awaitExit(waitMillis);
        }

        /**
         * @param waitMillis how long to wait for it to exit before killing it
         * @return how it ended
         * @throws InterruptedException when interrupted while waiting
         */
        public Result awaitExit(long waitMillis) throws InterruptedException {
            boolean exited = process.waitFor(waitMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(exited ? process.exitValue() : -1, exited, output());
        }

        /** Kills the child if it is still running and deletes its output. */
        @Override
        public void close() throws IOException, InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(out);
        }
    }
}
