package dev.muelle.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cases from moby/patternmatcher's own tests and Docker's .dockerignore documentation. */
class DockerIgnoreTest {

    @Test
    void patternsExceptionsAndParents() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *.log
                !keep.log
                /secret
                **/*.tmp
                docs/*/draft?.md
                """);
        assertThat(ignore.excludes("debug.log")).isTrue();
        assertThat(ignore.excludes("keep.log")).isFalse();
        assertThat(ignore.excludes("sub/debug.log")).isFalse(); // * does not cross directories
        assertThat(ignore.excludes("secret/key")).isTrue(); // a matching parent excludes its contents
        assertThat(ignore.excludes("a/b/c.tmp")).isTrue();
        assertThat(ignore.excludes("c.tmp")).isTrue();
        assertThat(ignore.excludes("docs/x/draft1.md")).isTrue();
        assertThat(ignore.excludes("docs/x/y/draft1.md")).isFalse();
        assertThat(ignore.excludes("app.txt")).isFalse();
    }

    @Test
    void laterExceptionReincludesFileInsideExcludedDir() {
        DockerIgnore ignore = DockerIgnore.parse("dir\n!dir/keep\n");
        assertThat(ignore.excludes("dir/other")).isTrue();
        assertThat(ignore.excludes("dir/keep")).isFalse();
    }
}
