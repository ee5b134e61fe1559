package dev.muelle.engine.build;

import java.util.List;

/**
 * A parsed Dockerfile: the {@code ARG}s before the first {@code FROM} (global build args) and the
 * build stages in order. Each stage starts with its {@code FROM} instruction.
 *
 * @param escape the escape character ({@code \} or {@code `}, from the {@code escape} directive)
 */
public record Dockerfile(List<Instruction> globalArgs, List<Stage> stages, char escape) {

    /** A build stage: its {@code FROM} and the instructions after it; {@code name} is lower case or null. */
    public record Stage(Instruction from, String name, List<Instruction> instructions) {
    }
}
