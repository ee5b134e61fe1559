package dev.muelle.desktop.builds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the classic builder's output as it streams and tells which steps came from the cache.
 *
 * <p>The builder writes {@code Step N/M : INSTRUCTION}, then {@code  ---> Using cache} when the
 * step's result was cached, then {@code  ---> <id>}. So a step is cached if a "Using cache" line
 * comes before the next "Step" line; otherwise it was built. A FROM step that did not fail counts
 * as cached: it takes an image that is already there and runs nothing (BuildKit says CACHED for it
 * too), so a build where nothing changed reads as all cached. The last step is settled by
 * {@link #finish}: built if the build succeeded, failed if not. Chunks may split lines anywhere;
 * only complete lines are read. Not thread-safe: one build feeds one parser from one thread.
 */
public final class BuildOutputParser {

    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : ?(.*)$");

    private final Consumer<BuildStep> onStep;
    private final List<BuildStep> steps = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();

    /** {@code onStep} hears each step when it starts and again whenever its status changes. */
    public BuildOutputParser(Consumer<BuildStep> onStep) {
        this.onStep = onStep;
    }

    public void accept(String chunk) {
        pending.append(chunk);
        int newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, newline);
            pending.delete(0, newline + 1);
            line(line.strip());
        }
    }

    private void line(String line) {
        Matcher step = STEP.matcher(line);
        if (step.matches()) {
            settleLast(BuildStep.Status.BUILT);
            update(new BuildStep(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)), step.group(3).strip(),
                    BuildStep.Status.RUNNING), false);
        } else if (line.equals("---> Using cache") && running()) {
            update(last().with(BuildStep.Status.CACHED), true);
        }
    }

    /** The build ended: settle the step still running and return every step. */
    public List<BuildStep> finish(boolean succeeded) {
        return finish(succeeded ? BuildStep.Status.BUILT : BuildStep.Status.FAILED);
    }

    /** The steps when the user cancelled the build: the step running then is marked cancelled. */
    public List<BuildStep> cancelled() {
        return finish(BuildStep.Status.CANCELLED);
    }

    private List<BuildStep> finish(BuildStep.Status lastStatus) {
        if (!pending.isEmpty()) {
            line(pending.toString().strip());
            pending.setLength(0);
        }
        settleLast(lastStatus);
        return List.copyOf(steps);
    }

    public List<BuildStep> steps() {
        return List.copyOf(steps);
    }

    private void settleLast(BuildStep.Status status) {
        if (running()) {
            boolean from = last().instruction().regionMatches(true, 0, "FROM ", 0, 5);
            update(last().with(from && status == BuildStep.Status.BUILT ? BuildStep.Status.CACHED : status), true);
        }
    }

    private boolean running() {
        return !steps.isEmpty() && last().status() == BuildStep.Status.RUNNING;
    }

    private BuildStep last() {
        return steps.get(steps.size() - 1);
    }

    private void update(BuildStep step, boolean replaceLast) {
        if (replaceLast) {
            steps.set(steps.size() - 1, step);
        } else {
            steps.add(step);
        }
        onStep.accept(step);
    }
}
