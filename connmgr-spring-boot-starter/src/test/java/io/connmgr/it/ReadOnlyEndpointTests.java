package io.connmgr.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Exposed with {@code include=connmgr} and no access setting, as with {@code include=*}: the
 * endpoint's default access is read-only, so it answers reads and maps no write operation, as
 * Spring Boot's own destructive endpoints do until asked.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"management.endpoints.web.exposure.include=*"})
class ReadOnlyEndpointTests {

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void byDefaultReadsWorkAndWritesAreNotMapped() throws Exception {
    assertThat(send("GET", "/actuator/connmgr", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/actuator/connmgr/audit", null).statusCode()).isEqualTo(200);
    HttpResponse<String> evict = send("POST", "/actuator/connmgr/alice", "{\"action\":\"evict\"}");
    assertThat(evict.statusCode()).isEqualTo(405);
    HttpResponse<String> pin = send("POST", "/actuator/connmgr/alice", "{\"action\":\"pin\"}");
    assertThat(pin.statusCode()).isEqualTo(405);
    HttpResponse<String> trim = send("POST", "/actuator/connmgr", "{\"action\":\"trim\"}");
    assertThat(trim.statusCode()).isEqualTo(405);
    assertThat(manager.isProtected(PeerId.of("alice"), null)).isFalse();
    assertThat(manager.stats().lastReport()).isEmpty();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
