package dev.muelle.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile into {@link Instruction}s the way Docker's parser does: parser directives
 * ({@code # escape=`}, {@code # syntax=...}) only at the very top, comments skipped even inside
 * continued lines, lines continued with the escape character, JSON (exec) or shell form, and
 * {@code --flag=value} options on FROM, RUN, COPY, ADD and HEALTHCHECK.
 *
 * <p>Errors are {@code InvalidParameter}s in Docker's wording:
 * {@code dockerfile parse error line 2: unknown instruction: FOO}.
 */
public final class DockerfileParser {

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
            "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
            "WORKDIR");
    /** The flags each instruction takes; RUN's (--network, --mount) are BuildKit's, not the classic builder's. */
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "FROM", Set.of("platform"),
            "RUN", Set.of(),
            "COPY", Set.of("from", "chown", "chmod", "link"),
            "ADD", Set.of("chown", "chmod", "link", "checksum"),
            "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));

    private DockerfileParser() {
    }

    /** Parses a whole Dockerfile into global args and stages. */
    public static Dockerfile parse(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (key.equals("escape")) {
                if (!m.group(2).equals("\\") && !m.group(2).equals("`")) {
                    throw error(i + 1, "invalid escape token '" + m.group(2) + "' does not match ` or \\");
                }
                escape = m.group(2).charAt(0);
            } else if (!key.equals("syntax") && !key.equals("check")) {
                break; // an ordinary comment that happens to look like key=value
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        while (i < lines.length) {
            String trimmed = lines[i].strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder logical = new StringBuilder();
            while (i < lines.length) {
                String line = lines[i++];
                String t = line.strip();
                if (logical.length() > 0 && (t.isEmpty() || t.startsWith("#"))) {
                    continue; // comments and blank lines inside a continued instruction are dropped
                }
                String right = line.stripTrailing();
                if (!right.isEmpty() && right.charAt(right.length() - 1) == escape) {
                    logical.append(right, 0, right.length() - 1);
                    if (i >= lines.length) {
                        break;
                    }
                    continue;
                }
                logical.append(line);
                break;
            }
            String original = logical.toString().strip();
            if (!original.isEmpty()) {
                instructions.add(parseLine(original, start, escape));
            }
        }
        return stages(instructions, escape);
    }

    private static Dockerfile stages(List<Instruction> all, char escape) {
        List<Instruction> globalArgs = new ArrayList<>();
        List<Dockerfile.Stage> stages = new ArrayList<>();
        Instruction from = null;
        String name = null;
        List<Instruction> body = null;
        for (Instruction in : all) {
            if (in.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(new Dockerfile.Stage(from, name, List.copyOf(body)));
                }
                from = in;
                name = in.args().size() == 3 ? in.args().get(2).toLowerCase(Locale.ROOT) : null;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!in.keyword().equals("ARG")) {
                    throw new EngineException.InvalidParameter("no build stage in current context");
                }
                globalArgs.add(in);
            } else {
                body.add(in);
            }
        }
        if (from == null) {
            throw new EngineException.InvalidParameter("no build stage in current context");
        }
        stages.add(new Dockerfile.Stage(from, name, List.copyOf(body)));
        return new Dockerfile(List.copyOf(globalArgs), List.copyOf(stages), escape);
    }

    /** Parses one logical line (continuations already joined), e.g. an ONBUILD trigger. */
    public static Instruction parseLine(String original, int line, char escape) {
        String[] split = original.split("\\s+", 2);
        String keyword = split[0].toUpperCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1].strip() : "";
        if (!KEYWORDS.contains(keyword)) {
            throw error(line, "unknown instruction: " + split[0]);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        if (FLAGS.containsKey(keyword)) {
            rest = flags(keyword, rest, flags, line, escape);
        }
        List<String> json = jsonArray(rest);
        List<String> args;
        boolean isJson = false;
        switch (keyword) {
            case "RUN", "CMD", "ENTRYPOINT" -> {
                isJson = json != null;
                args = isJson ? json : List.of(rest);
                if (rest.isEmpty()) {
                    args = List.of();
                }
            }
            case "SHELL" -> {
                if (json == null) {
                    throw error(line, "SHELL requires the arguments to be in JSON form");
                }
                isJson = true;
                args = json;
            }
            case "COPY", "ADD", "VOLUME" -> {
                isJson = json != null;
                args = isJson ? json : ShellWords.split(rest, escape);
            }
            case "ENV", "LABEL" -> args = nameValues(keyword, rest, line, escape);
            case "USER", "WORKDIR", "MAINTAINER", "ONBUILD", "HEALTHCHECK" -> args = rest.isEmpty() ? List.of() : List.of(rest);
            default -> args = ShellWords.split(rest, escape);
        }
        validate(keyword, args, flags, line);
        return new Instruction(keyword, Map.copyOf(flags), List.copyOf(args), isJson, original, line);
    }

    private static void validate(String keyword, List<String> args, Map<String, String> flags, int line) {
        switch (keyword) {
            case "FROM" -> {
                if (args.size() != 1 && !(args.size() == 3 && args.get(1).equalsIgnoreCase("as"))) {
                    throw error(line, "FROM requires either one or three arguments");
                }
            }
            case "COPY", "ADD" -> {
                if (args.size() < 2) {
                    throw error(line, keyword + " requires at least two arguments, but only one was provided. "
                            + "Destination could not be determined.");
                }
            }
            case "ENV", "LABEL", "ARG", "RUN", "USER", "WORKDIR", "EXPOSE", "VOLUME", "STOPSIGNAL", "ONBUILD",
                 "MAINTAINER", "HEALTHCHECK" -> {
                if (args.isEmpty()) {
                    throw error(line, keyword + " requires at least one argument");
                }
                if (keyword.equals("STOPSIGNAL") && args.size() != 1) {
                    throw error(line, "STOPSIGNAL requires exactly one argument");
                }
                if (keyword.equals("ONBUILD")) {
                    String inner = args.get(0).split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                    if (inner.equals("ONBUILD")) {
                        throw error(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    }
                    if (inner.equals("FROM") || inner.equals("MAINTAINER")) {
                        throw error(line, inner + " isn't allowed as an ONBUILD trigger");
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Takes leading {@code --name=value} words off {@code rest}; returns what follows. */
    private static String flags(String keyword, String rest, Map<String, String> flags, int line, char escape) {
        String r = rest;
        while (r.startsWith("--")) {
            String[] split = r.split("\\s+", 2);
            String word = split[0].substring(2);
            if (word.isEmpty()) {
                break; // "--" ends the flags
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (!FLAGS.get(keyword).contains(name)) {
                throw error(line, "Unknown flag: " + name);
            }
            String value = eq < 0 ? "" : word.substring(eq + 1);
            flags.put(name, value);
            r = split.length > 1 ? split[1].strip() : "";
        }
        return r;
    }

    /** The arguments as a JSON array of strings, or null when they are not one (shell form). */
    private static List<String> jsonArray(String rest) {
        if (!rest.startsWith("[")) {
            return null;
        }
        try {
            JsonNode node = Json.parse(rest);
            if (!node.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    return null;
                }
                out.add(n.asText());
            }
            return out;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** ENV/LABEL: {@code k=v k2="v 2"}, or the legacy {@code k some value} (one pair). */
    private static List<String> nameValues(String keyword, String rest, int line, char escape) {
        List<String> words = ShellWords.split(rest, escape);
        if (words.isEmpty()) {
            throw error(line, keyword + " requires at least one argument");
        }
        if (!words.get(0).contains("=")) {
            if (words.size() < 2) {
                throw error(line, keyword + " must have two arguments");
            }
            String key = words.get(0);
            String value = rest.substring(rest.indexOf(key) + key.length()).strip();
            return List.of(key + "=" + value);
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw error(line, "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw error(line, keyword + " names can not be blank");
            }
        }
        return words;
    }

    private static EngineException.InvalidParameter error(int line, String why) {
        return new EngineException.InvalidParameter("dockerfile parse error line " + line + ": " + why);
    }
}
