package dev.muelle.engine.build;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction as parsed, before variable expansion.
 *
 * @param keyword  upper case ({@code RUN}, {@code COPY}, ...)
 * @param flags    {@code --name=value} flags before the arguments (value empty for a bare {@code --name})
 * @param args     the arguments: for JSON form the array's strings; for {@code RUN}/{@code CMD}/
 *                 {@code ENTRYPOINT}/{@code USER}/{@code WORKDIR}/{@code MAINTAINER} in shell form the
 *                 rest of the line as one string; for {@code ENV}/{@code LABEL} {@code key=value}
 *                 pairs, quotes still in; otherwise the words, quotes still in
 * @param json     whether the arguments were a JSON array (exec form)
 * @param original the instruction's text as the user wrote it (continuations joined), for "Step N/M"
 * @param line     the 1-based line the instruction starts on
 */
public record Instruction(String keyword, Map<String, String> flags, List<String> args, boolean json,
                          String original, int line) {

    public String flag(String name) {
        return flags.get(name);
    }
}
