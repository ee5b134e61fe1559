package dev.muelle.desktop.volumes;

import dev.muelle.desktop.volumes.Highlighter.Language;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HighlighterTest {

    /** Each span as "style:text", in order. */
    private static List<String> marked(Language language, String text) {
        return Highlighter.spans(language, text).stream()
                .map(s -> s.style().substring(3) + ":" + text.substring(s.start(), s.end())).toList();
    }

    @Test
    void languageComesFromTheFileName() {
        assertThat(Language.of("Dockerfile")).contains(Language.DOCKERFILE);
        assertThat(Language.of("app.dockerfile")).contains(Language.DOCKERFILE);
        assertThat(Language.of("Containerfile")).contains(Language.DOCKERFILE);
        assertThat(Language.of("compose.YML")).contains(Language.YAML);
        assertThat(Language.of("package.json")).contains(Language.JSON);
        assertThat(Language.of("entry.sh")).contains(Language.SHELL);
        assertThat(Language.of("app.properties")).contains(Language.PROPERTIES);
        assertThat(Language.of("php.ini")).contains(Language.PROPERTIES);
        assertThat(Language.of("index.html")).contains(Language.XML);
        assertThat(Language.of("notes.txt")).isEmpty();
        assertThat(Language.of("README")).isEmpty();
    }

    @Test
    void jsonKeysStringsNumbersAndKeywords() {
        assertThat(marked(Language.JSON, "{\"name\": \"web\", \"port\": 8080, \"tls\": false, \"ratio\": -1.5e3, \"q\": \"a\\\"b\"}"))
                .containsExactly("key:\"name\"", "string:\"web\"", "key:\"port\"", "number:8080", "key:\"tls\"",
                        "keyword:false", "key:\"ratio\"", "number:-1.5e3", "key:\"q\"", "string:\"a\\\"b\"");
    }

    @Test
    void yamlKeysCommentsStringsAndScalars() {
        String yaml = "---\n# services\nservices:\n  web:\n    image: \"nginx:1.25\" # pinned\n    ports:\n      - 80\n"
                + "    - name: x\n    privileged: true\n    url: http://a#b\n";
        assertThat(marked(Language.YAML, yaml)).containsExactly("keyword:---", "comment:# services", "key:services",
                "key:web", "key:image", "string:\"nginx:1.25\"", "comment:# pinned", "key:ports", "number:80", "key:name",
                "key:privileged", "keyword:true", "key:url");
    }

    @Test
    void shellCommentsStringsVariablesAndKeywords() {
        String sh = "#!/bin/sh\nif [ -n \"$HOME\" ]; then echo ${USER:-x} 'a # b' $1; fi # done\necho a#b\n";
        assertThat(marked(Language.SHELL, sh)).containsExactly("comment:#!/bin/sh", "keyword:if", "string:\"$HOME\"",
                "keyword:then", "variable:${USER:-x}", "string:'a # b'", "variable:$1", "keyword:fi", "comment:# done");
    }

    @Test
    void propertiesAndIniSectionsKeysAndComments() {
        String ini = "[server]\n# the port\nport = 8080\n; old\nhost: example\n  indented.key=1\n";
        assertThat(marked(Language.PROPERTIES, ini)).containsExactly("keyword:[server]", "comment:# the port", "key:port",
                "comment:; old", "key:host", "key:indented.key");
    }

    @Test
    void dockerfileInstructionsCommentsStringsAndVariables() {
        String df = "# syntax\nFROM busybox AS base\nARG V=1\nrun echo \"v=$V\" ${V}\nCOPY a /a\n";
        assertThat(marked(Language.DOCKERFILE, df)).containsExactly("comment:# syntax", "keyword:FROM", "keyword:AS",
                "keyword:ARG", "keyword:run", "string:\"v=$V\"", "variable:${V}", "keyword:COPY");
    }

    @Test
    void xmlTagsAttributesStringsAndComments() {
        String xml = "<?xml version=\"1.0\"?>\n<!-- note -->\n<a href=\"x\">t=1</a>";
        assertThat(marked(Language.XML, xml)).containsExactly("tag:<?xml", "key:version", "string:\"1.0\"", "tag:?>",
                "comment:<!-- note -->", "tag:<a", "key:href", "string:\"x\"", "tag:>", "tag:</a", "tag:>");
    }

    @Test
    void largeTextsStayPlain() {
        String big = "{\"k\": 1}\n".repeat(Highlighter.LIMIT / 9 + 1);
        assertThat(big.length()).isGreaterThan(Highlighter.LIMIT);
        assertThat(Highlighter.spans(Language.JSON, big)).isEmpty();
        String many = "1,".repeat(Highlighter.MAX_SPANS + 1);
        assertThat(many.length()).isLessThan(Highlighter.LIMIT);
        assertThat(Highlighter.spans(Language.JSON, many)).isEmpty();
        assertThat(Highlighter.spans(Language.JSON, "1,".repeat(100))).hasSize(100);
    }
}
