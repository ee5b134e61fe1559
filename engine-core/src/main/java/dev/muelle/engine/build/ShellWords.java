package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's Dockerfile word rules (BuildKit's {@code shell.Lex}): how arguments split into words
 * and how {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:+alternative}},
 * {@code ${VAR-x}}, {@code ${VAR+x}} and {@code ${VAR:?message}} expand. Single quotes keep
 * everything literal; double quotes still expand variables; the escape character (backslash or
 * backtick) makes the next character literal. Unset variables expand to nothing.
 */
public final class ShellWords {

    private final String s;
    private final char escape;
    private final Function<String, String> env;
    private int pos;

    private ShellWords(String s, char escape, Function<String, String> env) {
        this.s = s;
        this.escape = escape;
        this.env = env;
    }

    /** Splits on unquoted blanks, keeping quotes and escapes in the words (expansion comes later). */
    public static List<String> split(String text, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Expands variables and removes quotes and escapes in one word (no splitting). */
    public static String expand(String word, char escape, Function<String, String> env) {
        ShellWords w = new ShellWords(word, escape, env);
        return w.process(false, (char) 0);
    }

    /** Splits then expands each word: what EXPOSE, VOLUME and ARG arguments go through. */
    public static List<String> expandAll(List<String> words, char escape, Function<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            out.add(expand(w, escape, env));
        }
        return out;
    }

    /** Reads until {@code stop} (not consumed here when inside a ${...} word) or the end. */
    private String process(boolean inBraces, char stop) {
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (inBraces && c == stop) {
                return out.toString();
            }
            pos++;
            if (c == escape) {
                if (pos < s.length()) {
                    out.append(s.charAt(pos++));
                } else {
                    out.append(c);
                }
            } else if (c == '\'') {
                int end = s.indexOf('\'', pos);
                if (end < 0) {
                    throw new EngineException.InvalidParameter("unexpected end of statement while looking for matching single-quote");
                }
                out.append(s, pos, end);
                pos = end + 1;
            } else if (c == '"') {
                out.append(doubleQuoted());
            } else if (c == '$') {
                out.append(variable());
            } else {
                out.append(c);
            }
        }
        if (inBraces) {
            throw new EngineException.InvalidParameter("missing '}' in " + s);
        }
        return out.toString();
    }

    private String doubleQuoted() {
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == escape && pos < s.length()) {
                char next = s.charAt(pos);
                if (next == '"' || next == '$' || next == escape) {
                    out.append(next);
                    pos++;
                } else {
                    out.append(c);
                }
            } else if (c == '$') {
                out.append(variable());
            } else {
                out.append(c);
            }
        }
        throw new EngineException.InvalidParameter("unexpected end of statement while looking for matching double-quote");
    }

    /** After a {@code $}: a name, a braced expression, or a literal dollar. */
    private String variable() {
        if (pos >= s.length()) {
            return "$";
        }
        char c = s.charAt(pos);
        if (c != '{') {
            String name = name();
            return name.isEmpty() ? "$" : value(name);
        }
        pos++;
        String name = name();
        if (name.isEmpty()) {
            throw new EngineException.InvalidParameter("bad substitution: missing variable name in " + s);
        }
        if (pos >= s.length()) {
            throw new EngineException.InvalidParameter("missing '}' in " + s);
        }
        c = s.charAt(pos);
        if (c == '}') {
            pos++;
            return value(name);
        }
        boolean colon = c == ':';
        if (colon) {
            pos++;
            c = pos < s.length() ? s.charAt(pos) : 0;
        }
        if (c != '-' && c != '+' && c != '?') {
            throw new EngineException.InvalidParameter("unsupported modifier (" + c + ") in substitution: " + s);
        }
        pos++;
        String word = process(true, '}');
        pos++; // the closing brace
        String value = env.apply(name);
        boolean set = colon ? value != null && !value.isEmpty() : value != null;
        return switch (c) {
            case '-' -> set ? value : word;
            case '+' -> set ? word : "";
            default -> {
                if (!set) {
                    throw new EngineException.InvalidParameter(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                yield value;
            }
        };
    }

    private String name() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String value(String name) {
        String v = env.apply(name);
        return v == null ? "" : v;
    }
}
