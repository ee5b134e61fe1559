package dev.muelle.desktop.builds;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.muelle.desktop.builds.BuildStep.Status.BUILT;
import static dev.muelle.desktop.builds.BuildStep.Status.CACHED;
import static dev.muelle.desktop.builds.BuildStep.Status.FAILED;
import static dev.muelle.desktop.builds.BuildStep.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

class BuildOutputParserTest {

    private final List<BuildStep> heard = new ArrayList<>();
    private final BuildOutputParser parser = new BuildOutputParser(heard::add);

    @Test
    void aStepIsCachedWhenUsingCacheComesBeforeTheNextStep() {
        for (String chunk : List.of("Step 1/3 : FROM busybox\n", " ---> 3f57d9401f8d\n", "Step 2/3 : COPY a.txt /a.txt\n",
                " ---> Using cache\n", " ---> 1c2d3e4f5a6b\n", "Step 3/3 : RUN cat /a.txt > /c.txt\n",
                " ---> Running in 0123456789ab\n", " ---> 9a8b7c6d5e4f\n", "Successfully built 9a8b7c6d5e4f\n",
                "Successfully tagged app:latest\n")) {
            parser.accept(chunk);
        }
        List<BuildStep> steps = parser.finish(true);
        assertThat(steps).extracting(BuildStep::status).containsExactly(CACHED, CACHED, BUILT);
        assertThat(steps).extracting(BuildStep::instruction)
                .containsExactly("FROM busybox", "COPY a.txt /a.txt", "RUN cat /a.txt > /c.txt");
        assertThat(steps.get(2).number()).isEqualTo(3);
        assertThat(steps.get(2).total()).isEqualTo(3);
    }

    @Test
    void linesSplitAcrossChunksAreReadWhole() {
        parser.accept("Step 1/2 : FR");
        assertThat(heard).isEmpty();
        parser.accept("OM busybox\n ---> Using");
        assertThat(heard).containsExactly(new BuildStep(1, 2, "FROM busybox", RUNNING));
        parser.accept(" cache\nStep 2/2 : COPY b.txt /b.txt\n");
        assertThat(parser.steps()).extracting(BuildStep::status).containsExactly(CACHED, RUNNING);
    }

    @Test
    void theStepRunningWhenTheBuildFailsIsFailed() {
        parser.accept("Step 1/2 : FROM busybox\n ---> Using cache\nStep 2/2 : RUN false\n ---> Running in abc\n");
        assertThat(parser.finish(false)).extracting(BuildStep::status).containsExactly(CACHED, FAILED);
    }

    @Test
    void listenersHearEachStepStartAndSettle() {
        parser.accept("Step 1/2 : FROM busybox\nStep 2/2 : COPY a /a\n ---> Using cache\n");
        parser.finish(true);
        assertThat(heard).extracting(s -> s.number() + " " + s.status())
                .containsExactly("1 RUNNING", "1 CACHED", "2 RUNNING", "2 CACHED");
    }

    @Test
    void aFromStepIsCachedUnlessTheBuildFailsInIt() {
        parser.accept("Step 1/1 : from busybox\n ---> 3f57d9401f8d\n");
        assertThat(parser.finish(true)).extracting(BuildStep::status).containsExactly(CACHED);
        BuildOutputParser missing = new BuildOutputParser(s -> { });
        missing.accept("Step 1/2 : FROM nosuchimage\n");
        assertThat(missing.finish(false)).extracting(BuildStep::status).containsExactly(FAILED);
    }

    @Test
    void outputWithoutStepsGivesNoSteps() {
        parser.accept("Sending build context to Docker daemon  2.048kB\n");
        assertThat(parser.finish(false)).isEmpty();
    }
}
