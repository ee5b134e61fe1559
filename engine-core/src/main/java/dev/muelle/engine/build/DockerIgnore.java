package dev.muelle.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} with Docker's semantics (moby/patternmatcher): one pattern per line,
 * {@code #} comments, paths relative to the context root (a leading {@code /} is dropped),
 * {@code *} and {@code ?} within one path component, {@code **} across any number of them, and
 * {@code !pattern} re-including what an earlier pattern excluded. A pattern that matches a
 * directory also matches everything below it. The last matching pattern decides.
 */
public final class DockerIgnore {

    private record Rule(Pattern regex, boolean exception) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            String cleaned = clean(line);
            if (cleaned.isEmpty()) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(cleaned)), exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether {@code path} (relative to the context root, {@code /}-separated) is left out. */
    public boolean excludes(String path) {
        String file = clean(path);
        if (file.isEmpty()) {
            return false;
        }
        List<String> parents = new ArrayList<>();
        String[] parts = file.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            parents.add(prefix.toString());
        }
        boolean excluded = false;
        for (Rule r : rules) {
            boolean match = r.regex.matcher(file).matches();
            for (int i = 0; !match && i < parents.size(); i++) {
                match = r.regex.matcher(parents.get(i)).matches();
            }
            if (match) {
                excluded = !r.exception;
            }
        }
        return excluded;
    }

    /** Lexical cleaning as Go's filepath.Clean, relative to the root. */
    static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(part);
        }
        return String.join("/", out);
    }

    /** patternmatcher's translation of a pattern to an anchored regex. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    while (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                    }
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                        re.append("(.*/)?"); // "**/" : zero or more directories
                    } else {
                        re.append(".*");
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = pattern.substring(i + 1, end);
                    if (cls.startsWith("^") || cls.startsWith("!")) {
                        cls = "^" + cls.substring(1);
                    }
                    re.append('[').append(cls.replace("\\", "\\\\")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }
}
