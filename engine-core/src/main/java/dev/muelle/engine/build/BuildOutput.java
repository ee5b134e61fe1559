package dev.muelle.engine.build;

/**
 * Where a build reports, in the shape of dockerd's JSON message stream: {@code stream} text the
 * CLI prints as is, the built image's ID ({@code aux}), and a final error with the failing RUN's
 * exit code (0 when no process failed), which the CLI turns into its own exit status.
 */
public interface BuildOutput {

    void stream(String text);

    void aux(String imageId);

    void error(String message, int code);
}
