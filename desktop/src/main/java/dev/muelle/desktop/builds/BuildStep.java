package dev.muelle.desktop.builds;

/**
 * One step of a classic-builder build, as its output reported it.
 *
 * @param number the step's number, from 1
 * @param total how many steps the Dockerfile has
 * @param instruction the instruction as written ("COPY a.txt /a.txt")
 * @param status {@link Status#RUNNING} until the output says how the step ended
 */
public record BuildStep(int number, int total, String instruction, Status status) {

    /** How a step ended: taken from the build cache, run for real, the step the build failed in, or the one it was cancelled in. */
    public enum Status { RUNNING, CACHED, BUILT, FAILED, CANCELLED }

    BuildStep with(Status newStatus) {
        return new BuildStep(number, total, instruction, newStatus);
    }
}
