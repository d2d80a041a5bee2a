package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The console where Spring Security is not on the classpath, and the switches that shape it:
 * enabled, read-only, actions-enabled, the path; the console's own form token guards the actions.
 */
class ConsoleWithoutSecurityTest {

  @Configuration(proxyBeanMethods = false)
  static class Manager {
    @Bean(destroyMethod = "close")
    ConnectionManager connectionManager() {
      return ConnectionManager.builder()
          .lowWater(2)
          .highWater(4)
          .gracePeriod(Duration.ZERO)
          .silencePeriod(Duration.ZERO)
          .maintenanceInterval(Duration.ZERO)
          .build();
    }
  }

  final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withClassLoader(new FilteredClassLoader("org.springframework.security"))
          .withConfiguration(
              AutoConfigurations.of(
                  ConsoleAutoConfiguration.class,
                  io.connmgr.autoconfigure.ConnmgrOperatorAutoConfiguration.class,
                  WebMvcAutoConfiguration.class,
                  ThymeleafAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  PropertyPlaceholderAutoConfiguration.class))
          .withPropertyValues("connmgr.console.cache-ttl=0s");

  void withConsole(Consumer<Console> test, String... properties) {
    runner
        .withUserConfiguration(Manager.class)
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              test.accept(new Console(context));
            });
  }

  /** The running console: its context, a MockMvc over it, its manager and a transport. */
  record Console(
      AssertableWebApplicationContext context,
      MockMvc mvc,
      ConnectionManager manager,
      Swarm swarm) {
    Console(AssertableWebApplicationContext context) {
      this(
          context,
          withRegisteredFilters(context),
          context.getBean(ConnectionManager.class),
          new Swarm(context.getBean(ConnectionManager.class)));
    }

    String page(String path, MockHttpSession session) throws Exception {
      return mvc.perform(get(path).session(session))
          .andExpect(status().isOk())
          .andReturn()
          .getResponse()
          .getContentAsString();
    }
  }

  /** A MockMvc with the filters the application registers, as a servlet container runs them. */
  static MockMvc withRegisteredFilters(WebApplicationContext context) {
    DefaultMockMvcBuilder builder = MockMvcBuilders.webAppContextSetup(context);
    for (FilterRegistrationBean<?> registration :
        context.getBeansOfType(FilterRegistrationBean.class).values()) {
      builder.addFilter(
          registration.getFilter(), registration.getUrlPatterns().toArray(String[]::new));
    }
    return builder.build();
  }

  static String token(String html) {
    Matcher m = Pattern.compile("name=\"_connmgr_csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("the page carries the console's form token").isTrue();
    return m.group(1);
  }

  interface Check {
    void run(Console c) throws Exception;
  }

  void check(Check check, String... properties) {
    withConsole(
        c -> {
          try {
            check.run(c);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        properties);
  }

  @Test
  void securityIsReallyAbsent() {
    check(c -> assertThat(c.context().getBean(ConsoleAccess.class)).isSameAs(ConsoleAccess.OPEN));
  }

  @Test
  void withoutSecurityActionsAreOffByDefault() {
    check(
        c -> {
          ManagedConnection conn = c.swarm().open("quiet", Direction.INBOUND);
          assertThat(c.context())
              .doesNotHaveBean(ConsoleActionController.class)
              .hasSingleBean(ConsoleViewController.class);
          MockHttpSession session = new MockHttpSession();
          for (String path :
              new String[] {
                "/connmgr", "/connmgr/connections", "/connmgr/scorers", "/connmgr/peer?id=quiet"
              }) {
            assertThat(c.page(path, session))
                .as(path)
                .doesNotContain("_connmgr_csrf", "Trim now", "class=\"pin\"", "danger evict");
          }
          c.mvc()
              .perform(post("/connmgr/pin").param("peer", "quiet"))
              .andExpect(status().is4xxClientError());
          c.mvc().perform(post("/connmgr/trim")).andExpect(status().is4xxClientError());
          c.mvc()
              .perform(get("/connmgr/evict").param("id", Long.toString(conn.id())))
              .andExpect(status().isNotFound());
          assertThat(c.manager().isProtected(PeerId.of("quiet"), null)).isFalse();
        });
  }

  @Test
  void actionsEnabledWorkWithTheSessionToken() {
    check(
        c -> {
          ManagedConnection a = c.swarm().open("a", Direction.INBOUND);
          c.swarm().open("b", Direction.INBOUND);
          MockHttpSession session = new MockHttpSession();
          String token = token(c.page("/connmgr/connections", session));

          c.mvc()
              .perform(
                  post("/connmgr/pin")
                      .session(session)
                      .param("_connmgr_csrf", token)
                      .param("peer", "a"))
              .andExpect(status().isFound())
              .andExpect(flash().attribute("flash", "Pinned a."));
          assertThat(c.manager().isProtected(PeerId.of("a"), ConnectionManager.PIN_TAG)).isTrue();

          c.mvc()
              .perform(
                  post("/connmgr/evict")
                      .session(session)
                      .param("_connmgr_csrf", token)
                      .param("id", Long.toString(a.id()))
                      .param("confirm", "true"))
              .andExpect(status().isFound());
          assertThat(c.manager().inspect().evictionHistory().get(0).trigger())
              .isEqualTo(Trigger.OPERATOR);
          assertThat(c.manager().inspect().evictionHistory().get(0).reason())
              .isEqualTo("evicted from the console");

          c.mvc()
              .perform(post("/connmgr/trim").session(session).param("_connmgr_csrf", token))
              .andExpect(status().isFound());
        },
        "connmgr.console.actions-enabled=true");
  }

  @Test
  void aForgedPostIsRefusedAndChangesNothing() {
    check(
        c -> {
          c.swarm().open("victim", Direction.INBOUND);
          MockHttpSession session = new MockHttpSession();
          String token = token(c.page("/connmgr", session));
          // no token, a wrong token, the right token without its session, a token from another
          // session
          c.mvc()
              .perform(post("/connmgr/pin").session(session).param("peer", "victim"))
              .andExpect(status().isForbidden());
          c.mvc()
              .perform(
                  post("/connmgr/pin")
                      .session(session)
                      .param("_connmgr_csrf", token + "x")
                      .param("peer", "victim"))
              .andExpect(status().isForbidden());
          c.mvc()
              .perform(post("/connmgr/pin").param("_connmgr_csrf", token).param("peer", "victim"))
              .andExpect(status().isForbidden());
          MockHttpSession other = new MockHttpSession();
          token(c.page("/connmgr", other));
          c.mvc()
              .perform(
                  post("/connmgr/pin")
                      .session(other)
                      .param("_connmgr_csrf", token)
                      .param("peer", "victim"))
              .andExpect(status().isForbidden());
          c.mvc().perform(post("/connmgr/trim").session(other)).andExpect(status().isForbidden());
          assertThat(c.manager().isProtected(PeerId.of("victim"), null)).isFalse();
          assertThat(c.manager().stats().lastReport()).isEmpty();
        },
        "connmgr.console.actions-enabled=true");
  }

  @Test
  void everyConsoleResponseForbidsFraming() {
    check(
        c -> {
          ManagedConnection a = c.swarm().open("a", Direction.INBOUND);
          MockHttpSession session = new MockHttpSession();
          for (var request :
              List.of(
                  get("/connmgr").session(session),
                  get("/connmgr/evict").param("id", Long.toString(a.id())).session(session),
                  get("/connmgr/no-such-page").session(session),
                  get("/connmgr/assets/console.js"),
                  post("/connmgr/trim").session(session))) {
            c.mvc()
                .perform(request)
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("Content-Security-Policy", "frame-ancestors 'none'"));
          }
        },
        "connmgr.console.actions-enabled=true");
  }

  @Test
  void peerPagesOfNewPeersRefreshTheSharedViewAtMostOncePerCachePeriod() {
    check(
        c -> {
          ConsoleData data = c.context().getBean(ConsoleData.class);
          ConsoleData.View before = data.view();
          c.swarm().open("new-1", Direction.INBOUND);
          c.mvc()
              .perform(get("/connmgr/peer").param("id", "new-1"))
              .andExpect(status().isOk())
              .andExpect(content().string(containsString("new-1")));
          ConsoleData.View refreshed = data.view();
          assertThat(refreshed).as("the first new peer refreshed the view").isNotSameAs(before);
          for (String peer : List.of("new-2", "new-3")) { // each opens after the last refresh
            c.swarm().open(peer, Direction.INBOUND);
            c.mvc()
                .perform(get("/connmgr/peer").param("id", peer))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(peer)))
                .andExpect(content().string(containsString("id=\"newer-than-view\"")));
          }
          assertThat(data.view())
              .as("no further refresh within the cache period")
              .isSameAs(refreshed);
        },
        "connmgr.console.cache-ttl=1h");
  }

  @Test
  void readOnlyDoesNotRegisterTheActionController() {
    check(
        c -> {
          c.swarm().open("ro", Direction.INBOUND);
          assertThat(c.context()).doesNotHaveBean(ConsoleActionController.class);
          String html = c.page("/connmgr/connections", new MockHttpSession());
          assertThat(html).contains("read-only").doesNotContain("class=\"pin\"", "_connmgr_csrf");
          c.mvc().perform(post("/connmgr/trim")).andExpect(status().is4xxClientError());
        },
        "connmgr.console.actions-enabled=true",
        "connmgr.console.read-only=true");
  }

  @Test
  void theConsoleMovesWithItsPath() {
    check(
        c -> {
          c.swarm().open("moved", Direction.INBOUND);
          String html = c.page("/ops/conn", new MockHttpSession());
          assertThat(html)
              .contains("href=\"/ops/conn/connections\"", "/ops/conn/assets/console.css");
          c.mvc().perform(get("/connmgr")).andExpect(status().isNotFound());
          c.mvc().perform(get("/ops/conn/assets/console.js")).andExpect(status().isOk());
        },
        "connmgr.console.path=/ops/conn");
  }

  @Test
  void aMalformedPathFailsAtStartup() {
    runner
        .withUserConfiguration(Manager.class)
        .withPropertyValues("connmgr.console.path=/connmgr/")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("connmgr.console.path"));
  }

  @Test
  void disabledMeansNoConsole() {
    runner
        .withUserConfiguration(Manager.class)
        .withPropertyValues("connmgr.console.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ConsoleViewController.class)
                    .doesNotHaveBean(ConsoleRecorder.class));
  }

  @Test
  void noConnectionManagerMeansNoConsole() {
    runner.run(
        context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleViewController.class));
  }
}
