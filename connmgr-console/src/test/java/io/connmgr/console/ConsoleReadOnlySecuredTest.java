package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code connmgr.console.read-only=true} with Spring Security: even an admin gets no action
 * controller, no button and no way to post; custom role names are honoured.
 */
@SpringBootTest(
    classes = ConsoleTestApp.class,
    properties = {
      "connmgr.console.read-only=true", "connmgr.console.cache-ttl=0s",
      "connmgr.console.role=OPS", "connmgr.console.viewer-role=AUDIT"
    })
@AutoConfigureMockMvc
class ConsoleReadOnlySecuredTest {

  @Autowired MockMvc mvc;
  @Autowired ApplicationContext context;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;

  @Test
  void theActionControllerIsNotRegistered() {
    assertThat(context.getBeanNamesForType(ConsoleActionController.class)).isEmpty();
    assertThat(context.getBeanNamesForType(ConsoleViewController.class)).hasSize(1);
  }

  @Test
  void anAdminSeesNoButtonAndCannotPost() throws Exception {
    ManagedConnection c = swarm.open("read-only-peer", Direction.INBOUND);
    try {
      for (String page :
          List.of(
              "/connmgr",
              "/connmgr/connections",
              "/connmgr/scorers",
              "/connmgr/peer?id=read-only-peer")) {
        String html =
            mvc.perform(get(page).with(user("ops").roles("OPS")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(html)
            .as(page)
            .contains("read-only")
            .doesNotContain("method=\"post\"", "Trim now", "class=\"button danger evict\"");
      }
      for (String action :
          List.of("/connmgr/pin", "/connmgr/unpin", "/connmgr/evict", "/connmgr/trim")) {
        int status =
            mvc.perform(
                    post(action)
                        .with(user("ops").roles("OPS"))
                        .with(csrf())
                        .param("peer", "read-only-peer")
                        .param("id", Long.toString(c.id()))
                        .param("confirm", "true"))
                .andReturn()
                .getResponse()
                .getStatus();
        assertThat(status).as(action).isBetween(400, 499);
      }
      mvc.perform(
              get("/connmgr/evict")
                  .param("id", Long.toString(c.id()))
                  .with(user("ops").roles("OPS")))
          .andExpect(status().isNotFound());
      assertThat(c.isOpen()).isTrue();
      assertThat(manager.isProtected(PeerId.of("read-only-peer"), null)).isFalse();
    } finally {
      c.closed();
    }
  }

  @Test
  void customRoleNamesDecideWhoMayView() throws Exception {
    mvc.perform(get("/connmgr").with(user("auditor").roles("AUDIT"))).andExpect(status().isOk());
    mvc.perform(get("/connmgr").with(user("old-admin").roles("CONNMGR_ADMIN")))
        .andExpect(status().isForbidden());
    mvc.perform(get("/connmgr").with(user("old-viewer").roles("CONNMGR_VIEWER")))
        .andExpect(status().isForbidden());
  }
}
