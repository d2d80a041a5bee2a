package io.connmgr.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.actuate.ConnmgrEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Malformed, oversized and injection-laden peer ids, unknown actions and broken bodies at the
 * actuator endpoint: each gets a clear 4xx and changes nothing.
 */
@SpringBootTest(
    classes = WebSocketEndToEndTests.Server.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=4",
      "connmgr.high-water=6",
      "connmgr.maintenance-interval=0",
      "management.endpoints.web.exposure.include=connmgr",
      "management.endpoint.connmgr.access=unrestricted"
    })
@ExtendWith(OutputCaptureExtension.class)
class HostileActuatorInputTests {

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void knownState() {
    manager.pin(PeerId.of("QmPinned"));
    manager.tagPeer(PeerId.of("QmTagged"), "kad", 3);
  }

  /** Everything an operator could see change. */
  private List<Object> fingerprint() {
    return List.of(
        manager.connectionCount(),
        manager.peerCount(),
        manager.protections(),
        manager.inspect().tagInfo(PeerId.of("QmTagged")).map(t -> t.tags()).orElseThrow(),
        manager.inspect().evictionHistory().size(),
        manager.stats().lastTrim());
  }

  private void unchangedBy(Supplier<HttpResponse<String>> request, int low, int high) {
    List<Object> before = fingerprint();
    HttpResponse<String> response = request.get();
    assertThat(response.statusCode()).as(response.body()).isBetween(low, high);
    // some are refused by Tomcat itself, before the endpoint, with its own HTML error page: it
    // must not echo the request as markup (JSON answers carry ids as JSON strings, which is fine)
    if (response.headers().firstValue("Content-Type").orElse("").contains("html")) {
      assertThat(response.body()).doesNotContain("<script").doesNotContain("<img");
    }
    assertThat(fingerprint()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%00", "a%0Ab", "%E2%80%AE", "%20", "x%7F"})
  void nonPrintablePeerIdsAreBadRequests(String encoded) {
    unchangedBy(() -> get("/actuator/connmgr/" + encoded), 400, 400);
    unchangedBy(() -> post("/actuator/connmgr/" + encoded, "{\"action\":\"pin\"}"), 400, 400);
  }

  @Test
  void oversizedPeerIdsAreRefused() {
    unchangedBy(() -> get("/actuator/connmgr/" + "x".repeat(257)), 400, 400);
    unchangedBy(
        () -> post("/actuator/connmgr/" + "x".repeat(257), "{\"action\":\"pin\"}"), 400, 400);
    unchangedBy(() -> get("/actuator/connmgr/" + "x".repeat(20_000)), 400, 431);
  }

  @Test
  void injectionLadenIdsAreDataNotMarkup() {
    String markup = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E";
    HttpResponse<String> response = get("/actuator/connmgr/" + markup);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
    assertThat(response.body()).contains("<img src=x onerror=alert(1)>"); // a JSON string
    unchangedBy(() -> get("/actuator/connmgr/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), 400, 404);
    unchangedBy(() -> post("/actuator/connmgr/" + markup, "{\"action\":\"evict\"}"), 404, 404);
    unchangedBy(
        () -> post("/actuator/connmgr/" + "%27%20OR%201%3D1%20--", "{\"action\":\"evict\"}"),
        404,
        404);
    unchangedBy(() -> get("/actuator/connmgr/..%2F..%2Fetc%2Fpasswd"), 400, 404);
  }

  @Test
  void unknownMissingOrMalformedActionsAreBadRequests() {
    unchangedBy(() -> post("/actuator/connmgr/QmTagged", "{\"action\":\"drop\"}"), 400, 400);
    unchangedBy(() -> post("/actuator/connmgr/QmTagged", "{}"), 400, 400);
    unchangedBy(() -> post("/actuator/connmgr/QmTagged", "{\"action\":"), 400, 400);
    unchangedBy(() -> post("/actuator/connmgr/QmTagged", "{\"action\":[\"pin\"]}"), 400, 400);
    unchangedBy(() -> post("/actuator/connmgr", "{\"action\":\"pin\"}"), 400, 400);
  }

  @Test
  void bodiesAboveFourKibibytesAre413BeforeAnythingParsesThem(CapturedOutput output) {
    String padded =
        "{\"action\":\"unpin\",\"pad\":\"" + "x".repeat(ConnmgrEndpoint.MAX_BODY_BYTES) + "\"}";
    unchangedBy(() -> post("/actuator/connmgr/QmPinned", padded), 413, 413);
    unchangedBy(
        () -> post("/actuator/connmgr/QmPinned", "{\"action\":\"" + "unpin".repeat(10_000) + "\"}"),
        413,
        413);
    unchangedBy(
        () ->
            send(
                HttpRequest.newBuilder(uri("/actuator/connmgr"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofString(padded)))
                    .build()),
        413,
        413); // chunked
    String exact =
        "{\"action\":\"trim\",\"pad\":\"" + "x".repeat(ConnmgrEndpoint.MAX_BODY_BYTES - 30) + "\"}";
    assertThat(exact.length()).isLessThanOrEqualTo(ConnmgrEndpoint.MAX_BODY_BYTES);
    assertThat(
            send(HttpRequest.newBuilder(uri("/actuator/connmgr"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofString(exact)))
                    .build())
                .statusCode())
        .as("a chunked body within the limit still reaches the endpoint")
        .isEqualTo(200);
    assertThat(output.getOut().lines().filter(l -> l.contains("with 413")).count()).isEqualTo(3);
    assertThat(output).doesNotContain("\tat ").doesNotContain(" ERROR ");
  }

  @Test
  void aTenMegabyteBodyIsRefusedUnreadAndNothingRuns(CapturedOutput output) {
    String huge = "{\"action\":\"evict\",\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
    List<Object> before = fingerprint();
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri("/actuator/connmgr/QmPinned"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(huge))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(413);
    } catch (java.io.IOException | InterruptedException e) {
      // the server answered 413 and closed the connection while the client still sent
    }
    assertThat(fingerprint()).isEqualTo(before);
    assertThat(output)
        .contains("body of " + huge.length() + " bytes declared, limit 4096")
        .doesNotContain("\tat ")
        .doesNotContain(" ERROR ");
  }

  @Test
  void formPostsAreNotAccepted() {
    unchangedBy(
        () ->
            send(
                HttpRequest.newBuilder(uri("/actuator/connmgr/QmPinned"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=unpin"))
                    .build()),
        415,
        415);
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + request, e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
