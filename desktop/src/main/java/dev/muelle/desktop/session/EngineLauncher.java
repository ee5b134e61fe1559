package dev.muelle.desktop.session;

import java.io.IOException;

/**
 * Starts an engine that will answer on a given endpoint (the Start engine action). Returns once
 * the process is launched; the session then waits for the endpoint to answer.
 */
@FunctionalInterface
public interface EngineLauncher {

    void launch(String endpoint) throws IOException;
}
