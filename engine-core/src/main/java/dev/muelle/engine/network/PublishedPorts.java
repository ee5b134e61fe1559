package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads what a container asks to publish from its HostConfig: {@code PortBindings}
 * ({@code {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}}, an empty HostPort meaning
 * any free port) and, with {@code PublishAllPorts} ({@code -P}), every exposed port not bound
 * otherwise, each to a free port.
 */
public final class PublishedPorts {

    private PublishedPorts() {
    }

    public static List<PortMapping> requested(Map<String, Object> portBindings, boolean publishAll,
                                              Collection<String> exposedPorts) {
        List<PortMapping> out = new ArrayList<>();
        if (portBindings != null) {
            for (Map.Entry<String, Object> b : portBindings.entrySet()) {
                String[] pp = containerPort(b.getKey());
                int port = number(pp[0], b.getKey());
                if (!(b.getValue() instanceof List<?> list) || list.isEmpty()) {
                    out.add(new PortMapping("", 0, port, pp[1]));
                    continue;
                }
                for (Object o : list) {
                    Map<?, ?> m = o instanceof Map<?, ?> mm ? mm : Map.of();
                    String hostIp = m.get("HostIp") == null ? "" : m.get("HostIp").toString();
                    String hostPort = m.get("HostPort") == null ? "" : m.get("HostPort").toString();
                    if (hostIp.equals("0.0.0.0")) {
                        hostIp = "";
                    }
                    if (hostIp.contains(":")) {
                        continue; // IPv6 host addresses: this engine publishes on IPv4
                    }
                    int hp = hostPort.isEmpty() ? 0 : number(hostPort.split("-")[0], hostPort);
                    out.add(new PortMapping(hostIp, hp, port, pp[1]));
                }
            }
        }
        if (publishAll && exposedPorts != null) {
            for (String key : exposedPorts) {
                String[] pp = containerPort(key);
                int port = number(pp[0], key);
                boolean bound = out.stream().anyMatch(p -> p.containerPort() == port && p.protocol().equals(pp[1]));
                if (!bound) {
                    out.add(new PortMapping("", 0, port, pp[1]));
                }
            }
        }
        return out;
    }

    private static String[] containerPort(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new String[] {key, "tcp"} : new String[] {key.substring(0, slash), key.substring(slash + 1)};
    }

    private static int number(String s, String whole) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid port specification: \"" + whole + "\"");
        }
    }
}
