package dev.muelle.engine.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token server for the distribution registry's "token" auth (the flow Docker Hub and most
 * registries use): {@code GET /token?service=…&scope=repository:app:pull,push} with HTTP basic
 * auth answers a JWT (RS256, signed by a key made here with openssl, its certificate in the
 * {@code x5c} header) granting the requested actions to the one user; anonymous requests get a
 * token granting nothing. It records the scopes it was asked for.
 */
public final class TokenServer implements AutoCloseable {

  static final String SERVICE = "muelle-test-registry";
  static final String ISSUER = "muelle-test-token-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Path certificate;
  private final PrivateKey key;
  private final String x5c;
  private final String user;
  private final String password;
  private final List<String> scopesAsked = new CopyOnWriteArrayList<>();

  private TokenServer(Path dir, String user, String password) throws IOException, GeneralSecurityException {
    this.user = user;
    this.password = password;
    run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "token.key", "-out", "token.crt",
        "-days", "2", "-subj", "/CN=muelle-test-token-signer");
    run(dir, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "token.key", "-outform", "DER", "-out", "token.der");
    this.certificate = dir.resolve("token.crt");
    this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("token.der"))));
    try (InputStream in = Files.newInputStream(certificate)) {
      this.x5c = Base64.getEncoder().encodeToString(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
    }
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  /** Starts a token server for one user; its key and certificate go to {@code dir}. */
  public static TokenServer start(Path dir, String user, String password) {
    try {
      return new TokenServer(dir, user, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot start the token server", e);
    }
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public Path certificate() {
    return certificate;
  }

  /** Every scope asked for so far, e.g. {@code repository:tok/bb:pull,push}. */
  public List<String> scopesAsked() {
    return List.copyOf(scopesAsked);
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals("scope")) {
          for (String scope : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).split(" ")) {
            scopes.add(scope);
          }
        }
      }
      scopesAsked.addAll(scopes);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      boolean authenticated = false;
      if (authorization != null) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!authorization.equals(expected)) {
          byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          return;
        }
        authenticated = true;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      if (authenticated) {
        for (String scope : scopes) {
          String[] p = scope.split(":");
          if (p.length == 3) {
            access.add(Map.of("type", p[0], "name", p[1], "actions", List.of(p[2].split(","))));
          }
        }
      }
      byte[] body = JSON.writeValueAsBytes(Map.of("token", jwt(authenticated ? user : "", access),
          "expires_in", 300, "issued_at", Instant.now().toString()));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private String jwt(String subject, List<Map<String, Object>> access) throws IOException, GeneralSecurityException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put("x5c", List.of(x5c));
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + b64.encodeToString(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(rsa.sign());
  }

  private static void run(Path dir, String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
