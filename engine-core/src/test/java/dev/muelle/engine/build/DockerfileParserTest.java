package dev.muelle.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muelle.engine.errors.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

    @Test
    void readsDirectivesCommentsContinuationsAndForms() {
        Dockerfile df = DockerfileParser.parse("""
                # escape=`
                # syntax=docker/dockerfile:1
                ARG BASE=busybox
                # a comment
                FROM ${BASE} AS Build
                RUN echo a `
                # comment inside a continuation
                    && echo b
                CMD ["sh", "-c", "echo hi"]
                ENV A=1 B="two words"
                ENV LEGACY some value
                COPY --from=build --chown=1:2 a b /dest/
                """);
        assertThat(df.escape()).isEqualTo('`');
        assertThat(df.globalArgs()).extracting(Instruction::original).containsExactly("ARG BASE=busybox");
        Dockerfile.Stage stage = df.stages().get(0);
        assertThat(stage.name()).isEqualTo("build");
        List<Instruction> in = stage.instructions();
        assertThat(in.get(0).args()).containsExactly("echo a     && echo b");
        assertThat(in.get(0).line()).isEqualTo(6);
        assertThat(in.get(1).json()).isTrue();
        assertThat(in.get(1).args()).containsExactly("sh", "-c", "echo hi");
        assertThat(in.get(2).args()).containsExactly("A=1", "B=\"two words\"");
        assertThat(in.get(3).args()).containsExactly("LEGACY=some value");
        assertThat(in.get(4).flags()).containsEntry("from", "build").containsEntry("chown", "1:2");
        assertThat(in.get(4).args()).containsExactly("a", "b", "/dest/");
    }

    @Test
    void invalidJsonIsShellForm() {
        Instruction cmd = DockerfileParser.parseLine("CMD [\"a\",", 1, '\\');
        assertThat(cmd.json()).isFalse();
        assertThat(cmd.args()).containsExactly("[\"a\",");
    }

    @Test
    void rejectsWhatDockerRejectsWithTheLine() {
        assertThatThrownBy(() -> DockerfileParser.parse("FROM busybox\nFOO bar\n"))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("dockerfile parse error line 2: unknown instruction: FOO");
        assertThatThrownBy(() -> DockerfileParser.parse("FROM busybox\nENV\n"))
                .hasMessage("dockerfile parse error line 2: ENV requires at least one argument");
        assertThatThrownBy(() -> DockerfileParser.parse("RUN true\n")).hasMessage("no build stage in current context");
        assertThatThrownBy(() -> DockerfileParser.parse("FROM a b\n"))
                .hasMessage("dockerfile parse error line 1: FROM requires either one or three arguments");
        assertThatThrownBy(() -> DockerfileParser.parse("FROM a\nSHELL sh -c\n"))
                .hasMessage("dockerfile parse error line 2: SHELL requires the arguments to be in JSON form");
    }
}
