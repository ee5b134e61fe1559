package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Requests the docker CLI would never send, sent raw: each must get Docker's status code and
 * a JSON {@code {"message": ...}} body with Docker's wording, and the engine must keep serving.
 *
 * <p>Statuses and messages were taken from dockerd 20.10 here. Where that dockerd predates a
 * moby fix (malformed or mistyped JSON answered with 500 instead of 400, moby#38141 and its
 * follow-ups in Docker 23+), Muelle follows current Docker and the test says so.
 */
@EngineTest
class BadInputIT {

  private final Engine engine;
  private final EngineHttp http;

  BadInputIT(Engine engine, EngineHttp http) {
    this.engine = engine;
    this.http = http;
  }

  /** 400 for Muelle and current Docker; 500 from dockerd 20.10, which predates the fix. */
  private int invalidJsonStatus() {
    return engine.kind() == Engine.Kind.DOCKERD ? 500 : 400;
  }

  @Test
  void malformedJsonIsRejectedWithAMessage() {
    EngineHttp.Response response = http.postJson("/containers/create", "{bad");

    assertThat(response.status()).as(response.body()).isEqualTo(invalidJsonStatus());
    assertThat(response.message()).contains("invalid character 'b' looking for beginning of object key string");
  }

  @Test
  void memoryGivenAsAStringIsRejected() {
    EngineHttp.Response response = http.postJson("/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"lots\"}}");

    assertThat(response.status()).as(response.body()).isEqualTo(invalidJsonStatus());
    // dockerd: "json: cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of type int64"
    assertThat(response.message()).contains("Memory");
  }

  @Test
  void unknownContainerIsNotFound() {
    EngineHttp.Response response = http.get("/containers/x/json");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo("No such container: x");
  }

  @Test
  void startingAnUnknownContainerIsNotFound() {
    EngineHttp.Response response = http.postJson("/containers/x/start", "");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo("No such container: x");
  }

  @Test
  void creatingFromAnUnknownImageIsNotFound() {
    EngineHttp.Response response = http.postJson("/containers/create", "{\"Image\":\"x\"}");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo("No such image: x:latest");
  }

  @Test
  void aDuplicateNameIsAConflict() {
    EngineHttp.Response first = http.postJson("/containers/create?name=twice", "{\"Image\":\"busybox\"}");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String firstId = first.json().get("Id").asText();

    EngineHttp.Response second = http.postJson("/containers/create?name=twice", "{\"Image\":\"busybox\"}");

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.message()).isEqualTo("Conflict. The container name \"/twice\" is already in use by container \""
        + firstId + "\". You have to remove (or rename) that container to be able to reuse that name.");
  }

  @Test
  void memoryBelowTheMinimumIsRejected() {
    EngineHttp.Response response = http.postJson("/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1024}}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("Minimum memory limit allowed is 6MB");
  }

  @Test
  void unknownPathsAreNotFound() {
    for (String path : new String[] {"/nosuch/path", "/v1.41/nosuch"}) {
      EngineHttp.Response response = http.get(path);

      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.message()).as(path).isEqualTo("page not found");
    }
  }

  @Test
  void aBodyThatIsNotJsonIsRejectedByContentType() {
    EngineHttp.Response response = http.send("POST", "/containers/create", "text/plain", "{\"Image\":\"busybox\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("Content-Type specified (text/plain) must be 'application/json'");
  }

  @AfterAll
  static void theEngineStillAnswers(EngineHttp http) {
    EngineHttp.Response ping = http.get("/_ping");

    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("OK");
  }
}
