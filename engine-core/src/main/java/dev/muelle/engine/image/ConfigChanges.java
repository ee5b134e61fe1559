package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies Dockerfile-style {@code --change} instructions ({@code docker import -c},
 * {@code docker commit -c}) to an image's container config ({@code Env}, {@code Cmd}, ...).
 * Only the instructions dockerd accepts there are allowed; others fail with dockerd's
 * {@code "<instr> is not a valid change command"}.
 */
public final class ConfigChanges {


    private ConfigChanges() {
    }

    public static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String instruction = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
            String args = space < 0 ? "" : line.substring(space + 1).strip();
            switch (instruction) {
                case "cmd" -> config.set("Cmd", command(args));
                case "entrypoint" -> config.set("Entrypoint", command(args));
                case "env" -> keyValues(config, "Env", args);
                case "label" -> keyValues(config, "Labels", args);
                case "workdir" -> config.put("WorkingDir", workdir(config.path("WorkingDir").asText(""), args));
                case "user" -> config.put("User", args);
                case "stopsignal" -> config.put("StopSignal", args);
                case "expose" -> {
                    ObjectNode ports = objectField(config, "ExposedPorts");
                    for (String port : words(args)) {
                        ports.putObject(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp");
                    }
                }
                case "volume" -> {
                    ObjectNode volumes = objectField(config, "Volumes");
                    for (JsonNode v : args.startsWith("[") ? jsonArray(args) : strings(words(args))) {
                        volumes.putObject(v.asText());
                    }
                }
                default -> throw new EngineException.InvalidParameter(instruction + " is not a valid change command");
            }
        }
    }

    /** Exec form {@code ["a","b"]} as is; shell form runs under {@code /bin/sh -c}, as in a Dockerfile. */
    private static ArrayNode command(String args) {
        if (args.startsWith("[")) {
            return jsonArray(args);
        }
        return strings(List.of("/bin/sh", "-c", args));
    }

    /** {@code k=v k2="v 2"}, or the legacy one-pair form {@code k v w} meaning k="v w". */
    private static void keyValues(ObjectNode config, String field, String args) {
        List<String[]> pairs = new ArrayList<>();
        List<String> words = words(args);
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            String key = words.get(0);
            pairs.add(new String[] {key, args.substring(args.indexOf(key) + key.length()).strip()});
        } else {
            for (String w : words) {
                int eq = w.indexOf('=');
                if (eq <= 0) {
                    throw new EngineException.InvalidParameter(field.equals("Env") ? "ENV names can not be blank"
                            : "LABEL names can not be blank");
                }
                pairs.add(new String[] {w.substring(0, eq), w.substring(eq + 1)});
            }
        }
        if (field.equals("Labels")) {
            ObjectNode labels = objectField(config, "Labels");
            pairs.forEach(p -> labels.put(p[0], p[1]));
            return;
        }
        ArrayNode env = config.get("Env") instanceof ArrayNode a ? a : config.putArray("Env");
        for (String[] p : pairs) {
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).asText().startsWith(p[0] + "=")) {
                    env.remove(i);
                }
            }
            env.add(p[0] + "=" + p[1]);
        }
    }

    private static String workdir(String current, String dir) {
        if (dir.startsWith("/")) {
            return dir;
        }
        String base = current.isEmpty() ? "/" : current;
        return (base.endsWith("/") ? base : base + "/") + dir;
    }

    /** Splits on blanks, honouring double/single quotes and backslash escapes. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && quote != '\'') {
                word.append(s.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    private static ObjectNode objectField(ObjectNode config, String field) {
        return config.get(field) instanceof ObjectNode o ? o : config.putObject(field);
    }

    private static ArrayNode jsonArray(String args) {
        try {
            JsonNode node = Json.parse(args);
            if (node instanceof ArrayNode a) {
                return a;
            }
        } catch (IOException ignored) {
            // reported below with the instruction's text
        }
        throw new EngineException.InvalidParameter("invalid JSON array in change: " + args);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.array();
        values.forEach(a::add);
        return a;
    }
}
