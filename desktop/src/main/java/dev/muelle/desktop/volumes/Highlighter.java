package dev.muelle.desktop.volumes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap syntax highlighting for the volume browser's text preview: one regular expression per
 * language, chosen by the file's name (JSON, YAML, shell, properties/ini, Dockerfile, XML/HTML).
 * It colours comments, strings, keys, keywords, numbers, variables and tags; it does not parse.
 * Texts over {@link #LIMIT} characters, or that would need more than {@link #MAX_SPANS} spans, are
 * left plain so a large file never costs more than a plain preview.
 */
public final class Highlighter {

    /** Longest text highlighted, in characters. */
    public static final int LIMIT = 256 * 1024;
    /** Most coloured spans one preview may hold (each is a node in the scene). */
    public static final int MAX_SPANS = 20_000;

    /** Characters {@code start} (inclusive) to {@code end} (exclusive) take the style class {@code style}. */
    public record Span(int start, int end, String style) {
    }

    /** The languages known, each one pattern whose named groups are the style classes (hl-&lt;group&gt;). */
    public enum Language {
        JSON("(?<key>\"(?:[^\"\\\\\\n]|\\\\.)*\"(?=\\s*:))|(?<string>\"(?:[^\"\\\\\\n]|\\\\.)*\")"
                + "|(?<keyword>\\b(?:true|false|null)\\b)|(?<number>-?\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)"),
        YAML("(?<comment>(?<![^\\s])#.*)|(?<string>\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\n]|'')*')"
                + "|(?<key>(?<=^[ \\t]{0,64}(?:- ){0,1})[^\\s#:'\"\\-][^:#\\n]*?(?=:(?:[ \\t]|$)))"
                + "|(?<keyword>\\b(?:true|false|null|yes|no|on|off)\\b|^---$|^\\.\\.\\.$)"
                + "|(?<number>(?<=[:\\-][ \\t]{1,8})-?\\d+(?:\\.\\d+)?(?=[ \\t]*$))"),
        SHELL("(?<comment>(?<![^\\s])#.*)|(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')"
                + "|(?<variable>\\$\\{[^}\\n]*\\}|\\$[A-Za-z_][A-Za-z0-9_]*|\\$[0-9#?@*$!-])"
                + "|(?<keyword>\\b(?:if|then|else|elif|fi|for|while|until|do|done|case|esac|in|function|return|"
                + "export|local|readonly|set|exit)\\b)"),
        PROPERTIES("(?<comment>^[ \\t]*[#;!].*)|(?<keyword>^[ \\t]*\\[[^\\]\\n]*\\])"
                + "|(?<key>(?<=^[ \\t]{0,64})[^=:#;!\\[\\s][^=:\\n]*?(?=[ \\t]*[=:]))"),
        DOCKERFILE("(?<comment>^[ \\t]*#.*)|(?<keyword>(?<=^[ \\t]{0,16})(?i:FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|"
                + "ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER)\\b|\\b(?i:AS)\\b)"
                + "|(?<string>\"(?:[^\"\\\\\\n]|\\\\.)*\"|'[^'\\n]*')"
                + "|(?<variable>\\$\\{[^}\\n]*\\}|\\$[A-Za-z_][A-Za-z0-9_]*)"),
        XML("(?<comment><!--[\\s\\S]*?-->)|(?<tag></?[A-Za-z_][\\w:.\\-]*|/?>|<\\?[\\w:.\\-]*|\\?>)"
                + "|(?<key>(?<=\\s)[A-Za-z_][\\w:.\\-]*(?==))|(?<string>\"[^\"]*\"|'[^']*')");

        private final Pattern pattern;
        private final List<String> groups;

        Language(String regex) {
            this.pattern = Pattern.compile(regex, Pattern.MULTILINE);
            // (an enum's static fields are not set yet while its constants are built)
            this.groups = List.of("comment", "string", "key", "keyword", "number", "variable", "tag").stream().filter(g -> regex.contains("(?<" + g + ">")).toList();
        }

        /** The language of a file, by its name; empty for anything else (shown plain). */
        public static Optional<Language> of(String fileName) {
            String n = fileName.toLowerCase(Locale.ROOT);
            if (n.equals("dockerfile") || n.equals("containerfile") || n.startsWith("dockerfile.") || n.endsWith(".dockerfile")) {
                return Optional.of(DOCKERFILE);
            }
            String ext = n.contains(".") ? n.substring(n.lastIndexOf('.') + 1) : "";
            return Optional.ofNullable(switch (ext) {
                case "json" -> JSON;
                case "yaml", "yml" -> YAML;
                case "sh", "bash", "zsh", "ksh" -> SHELL;
                case "properties", "ini", "conf", "cfg", "env", "toml" -> PROPERTIES;
                case "xml", "html", "htm", "svg", "xhtml", "pom" -> XML;
                default -> n.equals(".bashrc") || n.equals(".profile") ? SHELL : null;
            });
        }
    }

    private Highlighter() {
    }

    /**
     * The coloured spans of {@code text} in {@code language}, in order and not overlapping; empty
     * when the text is too large to highlight cheaply (it is then shown plain).
     */
    public static List<Span> spans(Language language, String text) {
        if (text.length() > LIMIT) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>();
        Matcher m = language.pattern.matcher(text);
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            for (String group : language.groups) {
                if (m.start(group) >= 0) {
                    spans.add(new Span(m.start(group), m.end(group), "hl-" + group));
                    break;
                }
            }
            if (spans.size() > MAX_SPANS) {
                return List.of();
            }
        }
        return spans;
    }
}
