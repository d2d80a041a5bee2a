package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorAction;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every write of the console and the actuator endpoint, for an admin, a viewer and an anonymous
 * user, from a browser session (logged in with the form, carrying the CSRF tokens a page gives) and
 * from a script (HTTP Basic in the {@code Authorization} header, no cookie), over real HTTP against
 * the chain docs/starter.md recommends. The table it checks is written to {@code
 * target/access-table.md}; docs/starter.md shows it.
 */
@SpringBootTest(
    classes = {ConsoleTestApp.class, AccessMatrixTest.RecommendedChain.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.console.cache-ttl=0s",
      "management.endpoints.web.exposure.include=connmgr,health",
      "management.endpoint.connmgr.access=unrestricted"
    })
@ExtendWith(OutputCaptureExtension.class)
class AccessMatrixTest {

  /** The chain of docs/starter.md, "Identity and access". */
  @Configuration(proxyBeanMethods = false)
  static class RecommendedChain {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      documentedRules(http)
          // scripts that authenticate in the Authorization header and carry no session cookie
          // cannot be forged by another site: no CSRF token for them; browser sessions keep it
          .csrf(
              csrf ->
                  csrf.ignoringRequestMatchers(
                      request ->
                          request.getHeader(HttpHeaders.AUTHORIZATION) != null
                              && request.getRequestedSessionId() == null));
      return http.build();
    }

    /** The documented chain's role rules and logins, which other tests vary the CSRF of. */
    static HttpSecurity documentedRules(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(
              auth ->
                  auth.requestMatchers(HttpMethod.GET, "/connmgr/**")
                      .hasAnyRole("CONNMGR_VIEWER", "CONNMGR_ADMIN")
                      .requestMatchers("/connmgr/**")
                      .hasRole("CONNMGR_ADMIN")
                      .anyRequest()
                      .authenticated())
          .formLogin(Customizer.withDefaults())
          .httpBasic(Customizer.withDefaults());
    }
  }

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final Pattern CONSOLE_TOKEN =
      Pattern.compile("name=\"_connmgr_csrf\"[^>]*value=\"([^\"]+)\"");

  @LocalServerPort int port;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;
  @Autowired AuditTrail trail;

  private final List<ManagedConnection> opened = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    opened.forEach(ManagedConnection::closed);
    opened.clear();
    manager.protections().keySet().forEach(manager::unpin);
  }

  /** Who asks, and how. */
  private enum Caller {
    ADMIN("admin"),
    VIEWER("viewer"),
    ANONYMOUS(null);

    final @Nullable String user;

    Caller(@Nullable String user) {
      this.user = user;
    }
  }

  /** How a request is sent. */
  private enum Mode {
    BROWSER("browser session, with the page's CSRF tokens"),
    FORGED("browser session, no token (a forged cross-site post)"),
    SCRIPT("`Authorization` header (HTTP Basic), no cookie");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** One write: its name in the table and how to send it. */
  private record Write(String name, Function<Client, Integer> send) {}

  @Test
  void everyWriteAnswersAsTheTableSays() throws Exception {
    List<Write> writes =
        List.of(
            new Write("console `POST /connmgr/pin`", c -> c.form("/connmgr/pin", "peer=target")),
            new Write(
                "console `POST /connmgr/unpin`",
                c -> {
                  manager.pin(PeerId.of("target"));
                  return c.form("/connmgr/unpin", "peer=target");
                }),
            new Write(
                "console `POST /connmgr/evict`",
                c -> c.form("/connmgr/evict", "confirm=true&id=" + open("target").id())),
            new Write("console `POST /connmgr/trim`", c -> c.form("/connmgr/trim", "")),
            new Write(
                "actuator `POST /actuator/connmgr` trim",
                c -> c.json("/actuator/connmgr", "{\"action\":\"trim\"}")),
            new Write(
                "actuator `POST /actuator/connmgr/{peer}` pin",
                c -> c.json("/actuator/connmgr/target", "{\"action\":\"pin\"}")),
            new Write(
                "actuator `POST /actuator/connmgr/{peer}` unpin",
                c -> {
                  manager.pin(PeerId.of("target"));
                  return c.json("/actuator/connmgr/target", "{\"action\":\"unpin\"}");
                }),
            new Write(
                "actuator `POST /actuator/connmgr/{peer}` evict",
                c -> {
                  open("target");
                  return c.json("/actuator/connmgr/target", "{\"action\":\"evict\"}");
                }));

    Map<String, List<Integer>> table = new LinkedHashMap<>();
    for (Write write : writes) {
      for (Mode mode : Mode.values()) {
        List<Integer> row = new ArrayList<>();
        for (Caller caller : Caller.values()) {
          row.add(write.send().apply(new Client(caller, mode)));
          cleanUp();
        }
        table.put(write.name() + " | " + mode.label, row);
      }
    }
    String markdown = markdown(table);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("access-table.md"), markdown, StandardCharsets.UTF_8);
    }

    // browser sessions: the admin acts (the console redirects back, the actuator answers 200),
    // the viewer gets 403, anonymous 401 (a browser asking for HTML is sent to the login page);
    // a post without the session's tokens is refused whoever's session it rides on;
    // scripts: the actuator works for the admin only; the console's forms need the console's
    // own session token, which a script does not have, so scripts use the actuator
    Map<String, List<Integer>> expected = new LinkedHashMap<>();
    for (Write write : writes) {
      boolean console = write.name().startsWith("console");
      expected.put(
          write.name() + " | " + Mode.BROWSER.label, List.of(console ? 302 : 200, 403, 401));
      expected.put(write.name() + " | " + Mode.FORGED.label, List.of(403, 403, 401));
      expected.put(
          write.name() + " | " + Mode.SCRIPT.label, List.of(console ? 403 : 200, 403, 401));
    }
    assertThat(markdown).isEqualTo(markdown(expected));
    Path docs = Path.of("..", "docs", "starter.md");
    if (Files.exists(docs)) {
      assertThat(Files.readString(docs, StandardCharsets.UTF_8))
          .as("docs/starter.md shows this table")
          .contains(markdown);
    }
  }

  @Test
  void aScriptTrimsWithCurlsRequestAndTheAuditTrailNamesItsUser() throws Exception {
    for (int i = 0; i < 12; i++) {
      open("trim-" + i);
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/actuator/connmgr"))
                .header("Authorization", basic("admin"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"trim\"}"))
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"evicted\":7");
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    AuditEntry entry = trail.entries().get(0);
    assertThat(entry.principal()).isEqualTo("admin");
    assertThat(entry.source()).isEqualTo(ActionSource.ACTUATOR);
    assertThat(entry.action()).isEqualTo(OperatorAction.TRIM);
    assertThat(entry.outcome()).contains("MANUAL round closed 7 of 7 wanted");

    HttpResponse<String> audit =
        send(
            HttpRequest.newBuilder(uri("/actuator/connmgr/audit"))
                .header("Authorization", basic("viewer"))
                .GET()
                .build());
    assertThat(audit.statusCode()).isEqualTo(200);
    assertThat(audit.body()).contains("\"principal\":\"admin\"").contains("\"action\":\"trim\"");
  }

  @Test
  void consoleActionsAreOnTheAuditPageWithTheirUser() throws Exception {
    Client admin = new Client(Caller.ADMIN, Mode.BROWSER);
    assertThat(admin.form("/connmgr/pin", "peer=audited")).isEqualTo(302);
    assertThat(
            new Client(Caller.VIEWER, Mode.SCRIPT)
                .json("/actuator/connmgr/audited", "{\"action\":\"unpin\"}"))
        .isEqualTo(403);

    String page = admin.get("/connmgr/audit");
    assertThat(page)
        .contains("id=\"nav-audit\"")
        .contains("<td class=\"principal\">admin</td>")
        .contains("<td class=\"principal\">viewer</td>")
        .contains("audited")
        .contains(">refused<");
    assertThat(trail.entries())
        .extracting(AuditEntry::source)
        .containsSubsequence(ActionSource.ACTUATOR, ActionSource.CONSOLE);
  }

  @Test
  void oversizedAndMalformedAnonymousPostsLogOneWarningAndNoStackTrace(CapturedOutput output)
      throws Exception {
    int from = output.getAll().length();
    var roundBefore = manager.stats().lastReport();
    List<AuditEntry> auditBefore = trail.entries();
    String threeMegabytes = "peer=" + "x".repeat(3 * 1024 * 1024);
    int form =
        statusOf(
            () ->
                send(
                    HttpRequest.newBuilder(uri("/connmgr/trim"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(threeMegabytes))
                        .build()));
    int json =
        statusOf(
            () ->
                send(
                    HttpRequest.newBuilder(uri("/actuator/connmgr"))
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString("{\"action\":" + "[".repeat(5000)))
                        .build()));

    assertThat(form).as("3 MB form").isIn(413, -1);
    assertThat(json).as("malformed JSON").isIn(401, 403, 413);
    String log = output.getAll().substring(from);
    assertThat(log).doesNotContain("\tat ").doesNotContain(" ERROR ");
    assertThat(log.lines().filter(l -> l.contains(" WARN ")).count()).isLessThanOrEqualTo(2);
    assertThat(manager.stats().lastReport()).isEqualTo(roundBefore);
    assertThat(trail.entries()).isEqualTo(auditBefore);
  }

  private ManagedConnection open(String peer) {
    ManagedConnection c = swarm.open(peer);
    opened.add(c);
    return c;
  }

  private interface Call {
    HttpResponse<String> call() throws Exception;
  }

  private static int statusOf(Call call) {
    try {
      return call.call().statusCode();
    } catch (Exception e) {
      return -1; // the server answered and closed while the client still sent
    }
  }

  /** A caller with its own cookies: logged in by form for a browser session. */
  private final class Client {
    private final Caller caller;
    private final Mode mode;
    private final HttpClient http;
    private @Nullable String csrf;

    Client(Caller caller, Mode mode) {
      this.caller = caller;
      this.mode = mode;
      this.http =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      if (mode != Mode.SCRIPT) {
        login();
      }
    }

    private void login() {
      String token = token(get("/login"), CSRF);
      if (caller.user != null) {
        HttpResponse<String> login =
            request(
                HttpRequest.newBuilder(uri("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "username="
                                + caller.user
                                + "&password="
                                + ConsoleTestApp.PASSWORD
                                + "&_csrf="
                                + encode(token))));
        assertThat(login.statusCode()).isEqualTo(302);
        token = token(get("/login"), CSRF); // the token changes at login
      }
      csrf = token;
    }

    /** A console form post, with the tokens the overview page gives this caller. */
    int form(String path, String body) {
      StringBuilder form = new StringBuilder(body);
      if (mode == Mode.BROWSER) {
        String consoleToken = tokenOrNull(get("/connmgr"), CONSOLE_TOKEN);
        form.append("&_csrf=").append(encode(csrf));
        if (consoleToken != null) {
          form.append("&_connmgr_csrf=").append(encode(consoleToken));
        }
      }
      return request(
              HttpRequest.newBuilder(uri(path))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form.toString())))
          .statusCode();
    }

    /** An actuator write, as a page's script (CSRF header) or a script (Basic) sends it. */
    int json(String path, String body) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (mode == Mode.BROWSER) {
        request.header("X-CSRF-TOKEN", csrf);
      }
      return request(request).statusCode();
    }

    String get(String path) {
      return request(HttpRequest.newBuilder(uri(path)).GET()).body();
    }

    private HttpResponse<String> request(HttpRequest.Builder request) {
      if (mode == Mode.SCRIPT && caller.user != null) {
        request.header("Authorization", basic(caller.user));
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private static String markdown(Map<String, List<Integer>> table) {
    StringBuilder out =
        new StringBuilder(
            "| request | sent as | admin | viewer | anonymous |\n| --- | --- | --- | --- | --- |\n");
    table.forEach(
        (request, statuses) -> {
          out.append("| ").append(request);
          statuses.forEach(s -> out.append(" | ").append(s));
          out.append(" |\n");
        });
    return out.toString();
  }

  private static String token(String page, Pattern pattern) {
    String token = tokenOrNull(page, pattern);
    assertThat(token).as("a token in the page").isNotNull();
    return token;
  }

  private static @Nullable String tokenOrNull(String page, Pattern pattern) {
    Matcher m = pattern.matcher(page);
    return m.find() ? m.group(1) : null;
  }

  private static String encode(@Nullable String value) {
    return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (user + ":" + ConsoleTestApp.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
