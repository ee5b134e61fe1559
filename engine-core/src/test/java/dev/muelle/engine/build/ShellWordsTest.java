package dev.muelle.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    private static final Map<String, String> VARS = Map.of("NAME", "world", "EMPTY", "");
    private static final Function<String, String> ENV = VARS::get;

    private static String expand(String word) {
        return ShellWords.expand(word, '\\', ENV);
    }

    @Test
    void expandsVariablesLikeDocker() {
        assertThat(expand("$NAME")).isEqualTo("world");
        assertThat(expand("${NAME}s")).isEqualTo("worlds");
        assertThat(expand("${UNSET:-dflt}")).isEqualTo("dflt");
        assertThat(expand("${EMPTY:-dflt}")).isEqualTo("dflt");
        assertThat(expand("${EMPTY-dflt}")).isEqualTo("");
        assertThat(expand("${NAME:+alt}")).isEqualTo("alt");
        assertThat(expand("${UNSET:+alt}")).isEqualTo("");
        assertThat(expand("${UNSET:-${NAME}}")).isEqualTo("world");
        assertThat(expand("$UNSET")).isEqualTo("");
        assertThat(expand("cost: $")).isEqualTo("cost: $");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(expand("'$NAME'")).isEqualTo("$NAME");
        assertThat(expand("\"hello $NAME\"")).isEqualTo("hello world");
        assertThat(expand("\\$NAME")).isEqualTo("$NAME");
        assertThat(expand("\"a \\\" b\"")).isEqualTo("a \" b");
        assertThat(ShellWords.expand("`$NAME", '`', ENV)).isEqualTo("$NAME");
    }

    @Test
    void splitKeepsQuotedBlanksInOneWord() {
        assertThat(ShellWords.split("a \"b c\" 'd e'  f\\ g", '\\')).containsExactly("a", "\"b c\"", "'d e'", "f\\ g");
    }
}
