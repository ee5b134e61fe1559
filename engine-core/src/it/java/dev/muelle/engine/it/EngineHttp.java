package dev.muelle.engine.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Raw HTTP requests to an engine's unix socket, for what the docker CLI would never send
 * (malformed JSON, wrong types, unknown paths). It uses curl, which speaks HTTP over unix
 * sockets and sends bodies byte for byte, so the engine sees exactly what a test wrote.
 */
public final class EngineHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATUS_MARK = "\n--muelle-status:";

  private final Path socket;

  public EngineHttp(Path socket) {
    this.socket = socket;
  }

  /** A response: status code and body; {@link #json} parses the body. */
  public record Response(int status, String body) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("response body is not JSON (status " + status + "): " + body, e);
      }
    }

    /** The {@code message} of a Docker error body, or null when there is none. */
    public String message() {
      JsonNode message = json().get("message");
      return message == null ? null : message.asText();
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  /** POST with a JSON content type and exactly the given bytes as body. */
  public Response postJson(String path, String body) {
    return send("POST", path, "application/json", body);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** True when {@code GET /_ping} answers 200; false on any failure (engine still starting). */
  boolean pingOk() {
    try {
      return get("/_ping").status() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Send a request; a null content type or body leaves that part out. */
  public Response send(String method, String path, String contentType, String body) {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error",
        "--max-time", "30", "--unix-socket", socket.toString(), "-X", method,
        "--output", "-", "--write-out", STATUS_MARK + "%{http_code}"));
    if (contentType != null) {
      command.addAll(List.of("-H", "Content-Type: " + contentType));
    }
    if (body != null) {
      command.addAll(List.of("--data-binary", "@-"));
    }
    command.add("http://localhost" + path);
    try {
      Process curl = new ProcessBuilder(command).start();
      try (var stdin = curl.getOutputStream()) {
        if (body != null) {
          stdin.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!curl.waitFor(40, TimeUnit.SECONDS) || curl.exitValue() != 0) {
        curl.destroyForcibly();
        throw new IllegalStateException(method + " " + path + " on " + socket + " failed: " + err);
      }
      int mark = out.lastIndexOf(STATUS_MARK);
      return new Response(Integer.parseInt(out.substring(mark + STATUS_MARK.length()).trim()),
          out.substring(0, mark));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run curl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
