package dev.muelle.engine.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path (version prefix already stripped) to a handler. Patterns use
 * {@code {name}} for one path segment and {@code {name*}} for a greedy segment that may contain
 * slashes (image names like {@code localhost:5000/team/app}).
 */
public final class Router {

    /** An endpoint: runs on a worker thread and may block. */
    @FunctionalInterface
    public interface Handler {
        void handle(ApiRequest request, ApiResponse response) throws Exception;
    }

    record Route(String method, Pattern pattern, List<String> names, Handler handler, boolean streamingBody) {
    }

    record Match(Handler handler, Map<String, String> params, boolean streamingBody) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String path, Handler h) {
        return add("GET", path, h, false);
    }

    public Router head(String path, Handler h) {
        return add("HEAD", path, h, false);
    }

    public Router post(String path, Handler h) {
        return add("POST", path, h, false);
    }

    public Router put(String path, Handler h) {
        return add("PUT", path, h, false);
    }

    public Router delete(String path, Handler h) {
        return add("DELETE", path, h, false);
    }

    /** A route whose request body is streamed to the handler instead of buffered (load, import, build). */
    public Router postStreaming(String path, Handler h) {
        return add("POST", path, h, true);
    }

    public Router putStreaming(String path, Handler h) {
        return add("PUT", path, h, true);
    }

    private Router add(String method, String path, Handler h, boolean streaming) {
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}").matcher(path);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(path.substring(last, m.start())));
            re.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(path.substring(last))).append("/?$");
        routes.add(new Route(method, Pattern.compile(re.toString()), names, h, streaming));
        return this;
    }

    /** The matching route, or null; {@code methodKnown[0]} tells whether the path exists for another method. */
    Match match(String method, String path) {
        for (Route r : routes) {
            if (!r.method.equals(method) && !(method.equals("HEAD") && r.method.equals("GET"))) {
                continue;
            }
            Matcher m = r.pattern.matcher(path);
            if (m.matches()) {
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < r.names.size(); i++) {
                    params.put(r.names.get(i), m.group(i + 1));
                }
                return new Match(r.handler, params, r.streamingBody);
            }
        }
        return null;
    }
}
