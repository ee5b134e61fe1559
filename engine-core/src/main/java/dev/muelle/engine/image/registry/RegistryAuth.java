package dev.muelle.engine.image.registry;

/**
 * Credentials for one registry as the docker CLI sends them ({@code X-Registry-Auth}, {@code POST
 * /auth}): a username and password, or an identity token (an OAuth refresh token) from an earlier
 * login. Any field may be null or empty; {@link #ANONYMOUS} has none.
 */
public record RegistryAuth(String username, String password, String identityToken, String serverAddress) {

    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, null, null);

    public boolean hasPassword() {
        return username != null && !username.isEmpty() && password != null && !password.isEmpty();
    }

    public boolean hasIdentityToken() {
        return identityToken != null && !identityToken.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", serverAddress=" + serverAddress + "]"; // never the secrets
    }
}
