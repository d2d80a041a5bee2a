package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.console.ConsoleProperties;
import io.connmgr.inspect.ManagerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Logs, once the node is up, where the console is (with the actual port) and how to log in. */
@Component
public class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

  private final Credentials admin;
  private final Credentials viewer;
  private final ConnectionManager manager;
  private final SampleProperties properties;
  private final String consolePath;

  StartupBanner(
      Credentials adminCredentials,
      Credentials viewerCredentials,
      ConnectionManager manager,
      SampleProperties properties,
      ConsoleProperties console) {
    this.admin = adminCredentials;
    this.viewer = viewerCredentials;
    this.manager = manager;
    this.properties = properties;
    this.consolePath = console.getPath();
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
      return;
    }
    WebServer server = web.getWebServer();
    if (server == null) {
      return;
    }
    int port = server.getPort();
    String base = "http://localhost:" + port;
    String console = base + consolePath;
    ManagerStats info = manager.stats();
    LOG.info(
        """

        ==================================================================
          connmgr sample node is up
          console   {}
          admin     {} / {}   (may pin, unpin, evict, trim)
          viewer    {} / {}   (may only look)
          actuator  {}/actuator/connmgr  (and /sample, /metrics, /prometheus)
          peers     ws://127.0.0.1:{}{}?peer=<id>
          swarm     {} peers on loopback; watermarks low {} / high {}
        ==================================================================""",
        console,
        admin.username(),
        admin.shownPassword("sample.admin.password"),
        viewer.username(),
        viewer.shownPassword("sample.viewer.password"),
        base,
        port,
        NodeWebSocketConfig.PATH,
        properties.swarm().enabled() ? properties.swarm().size() : 0,
        info.lowWater(),
        info.highWater());
  }
}
