package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The README's {@code SecurityFilterChain}, with CSRF protection turned off as a careless
 * application might: the chain's role rules apply, and the console's own form token still stops a
 * forged POST.
 */
@SpringBootTest(
    classes = {ConsoleTestApp.class, ConsoleCustomChainTest.ReadmeChain.class},
    properties = "connmgr.console.cache-ttl=0s")
@AutoConfigureMockMvc
class ConsoleCustomChainTest {

  @Configuration(proxyBeanMethods = false)
  static class ReadmeChain {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      AccessMatrixTest.RecommendedChain.documentedRules(http).csrf(csrf -> csrf.disable());
      return http.build();
    }
  }

  @Autowired MockMvc mvc;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;

  @Test
  void theChainsRulesAndTheConsolesTokenBothHold() throws Exception {
    ManagedConnection c = swarm.open("chained", Direction.INBOUND);
    try {
      var admin = httpBasic("admin", ConsoleTestApp.PASSWORD);
      var viewer = httpBasic("viewer", ConsoleTestApp.PASSWORD);
      var stranger = httpBasic("stranger", ConsoleTestApp.PASSWORD);
      mvc.perform(get("/connmgr/connections").with(viewer)).andExpect(status().isOk());
      mvc.perform(get("/connmgr/connections").with(stranger)).andExpect(status().isForbidden());
      mvc.perform(post("/connmgr/pin").with(viewer).param("peer", "chained"))
          .andExpect(status().isForbidden());

      // CSRF is off in this chain: without the console's token, even an admin's POST fails
      mvc.perform(post("/connmgr/pin").with(admin).param("peer", "chained"))
          .andExpect(status().isForbidden());
      assertThat(manager.isProtected(PeerId.of("chained"), null)).isFalse();

      MockHttpSession session = new MockHttpSession();
      String html =
          mvc.perform(get("/connmgr/connections").session(session).with(admin))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      Matcher m = Pattern.compile("name=\"_connmgr_csrf\" value=\"([^\"]+)\"").matcher(html);
      assertThat(m.find()).isTrue();
      mvc.perform(
              post("/connmgr/pin")
                  .session(session)
                  .with(admin)
                  .with(csrf())
                  .param("_connmgr_csrf", m.group(1))
                  .param("peer", "chained"))
          .andExpect(status().isFound());
      assertThat(manager.isProtected(PeerId.of("chained"), ConnectionManager.PIN_TAG)).isTrue();
    } finally {
      manager.unpin(PeerId.of("chained"));
      c.closed();
    }
  }
}
