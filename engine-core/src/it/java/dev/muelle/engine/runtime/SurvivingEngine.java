package dev.muelle.engine.runtime;

import java.nio.file.Path;

/**
 * Stands in for an engine that starts a container and then dies: run in a child JVM by
 * {@link ConmonRuncRuntimeIT}, it creates and starts the container, prints its pid and waits to be
 * killed with SIGKILL.
 */
public final class SurvivingEngine {

    public static void main(String[] args) throws Exception {
        ConmonRuncRuntime runtime = new ConmonRuncRuntime(Path.of(args[0]), Path.of(args[1]));
        int pid = runtime.create(args[3], Path.of(args[2]),
                new CreateOptions(false, false, false, Path.of(args[4]), "survivor"));
        runtime.start(args[3]);
        System.out.println("started " + pid);
        System.out.flush();
        Thread.sleep(600_000);
    }

    private SurvivingEngine() {
    }
}
