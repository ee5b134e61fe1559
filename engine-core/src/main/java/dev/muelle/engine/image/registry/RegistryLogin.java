package dev.muelle.engine.image.registry;

import java.util.Locale;

/**
 * {@code POST /auth} ({@code docker login}): checks credentials against a registry. Nothing is
 * stored in the engine: the CLI keeps the credentials and sends them with each pull or push.
 */
public final class RegistryLogin {

    private final RegistryHosts hosts;

    public RegistryLogin(RegistryHosts hosts) {
        this.hosts = hosts;
    }

    /** Returns dockerd's status line ({@code Login Succeeded}) or throws a {@link RegistryException}. */
    public String login(RegistryAuth auth) {
        new RegistryClient(hosts.endpoint(host(auth.serverAddress())), "", auth, "").checkLogin();
        return "Login Succeeded";
    }

    /** {@code https://index.docker.io/v1/} → {@code docker.io}; {@code http://h:5000/} → {@code h:5000}. */
    static String host(String serverAddress) {
        String s = serverAddress == null ? "" : serverAddress.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        s = s.toLowerCase(Locale.ROOT);
        return s.isEmpty() || s.equals("index.docker.io") || s.equals(RegistryHosts.DOCKER_HUB_API)
                ? RegistryHosts.DOCKER_HUB : s;
    }
}
