package io.connmgr.sample.fleet;

import io.connmgr.ConnectionManager;
import io.connmgr.sample.SampleApplication;
import io.connmgr.sample.SwarmTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One sample node ({@link SampleApplication}: the WebSocket endpoint, the console, the actuator
 * with its Prometheus endpoint) on a free loopback port, with its own settings.
 */
final class SampleNode implements AutoCloseable {

  static final String ADMIN = "admin";

  private final ConfigurableApplicationContext context;

  private SampleNode(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts a node with {@code settings} on top of the sample's own and a few quiet defaults. */
  static SampleNode start(String adminPassword, Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("server.port", "0");
    all.put("server.address", "127.0.0.1");
    all.put("sample.admin.username", ADMIN);
    all.put("sample.admin.password", adminPassword);
    all.put("spring.main.banner-mode", "off");
    all.put("logging.level.io.connmgr.sample.RoundLog", "warn");
    all.put("logging.level.org.springframework", "warn");
    all.put("logging.level.org.apache", "warn");
    all.putAll(settings);
    List<String> args = new ArrayList<>();
    all.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new SampleNode(
        new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new)));
  }

  /** The port it listens on. */
  int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** host:port, as Prometheus names the node in its {@code instance} label. */
  String instance() {
    return "127.0.0.1:" + port();
  }

  /** The node's manager, to watch it from the inside. */
  ConnectionManager manager() {
    return context.getBean(ConnectionManager.class);
  }

  /** The credentials the node's peers authenticate with. */
  SwarmTokens swarmTokens() {
    return context.getBean(SwarmTokens.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
