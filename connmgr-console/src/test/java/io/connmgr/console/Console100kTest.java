package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.LeaseDecision;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.Registration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The connections page at 100 000 connections (50 000 peers, streams, tags, leases, pins and two
 * scorers): renders the page cold (snapshot and assessment taken), warm (cached), sorted, filtered
 * and as a live fragment, and records the figures in {@code target/console-100k.txt}. A
 * measurement, not a timed assertion.
 */
@SpringBootTest(classes = ConsoleTestApp.class, properties = "connmgr.console.cache-ttl=10m")
@AutoConfigureMockMvc
class Console100kTest {

  static final int PEERS = 50_000;
  static final int CONNECTIONS = 100_000;

  @Autowired MockMvc mvc;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;
  @Autowired ConsoleData data;

  final List<ManagedConnection> opened = new ArrayList<>(CONNECTIONS);
  final List<Registration> registrations = new ArrayList<>();

  @BeforeEach
  void open100k() {
    for (int p = 0; p < PEERS; p++) {
      PeerId peer = PeerId.of("peer-" + p);
      for (int k = 0; k < CONNECTIONS / PEERS; k++) {
        ManagedConnection c =
            swarm.open(peer.value(), k == 0 ? Direction.INBOUND : Direction.OUTBOUND);
        opened.add(c);
        if (p % 10 == 0) {
          c.openStream(p % 20 == 0 ? "/ipfs/kad/1.0.0" : "/ipfs/bitswap/1.2.0", Direction.OUTBOUND);
        }
        if (p % 100 == 0) {
          c.lease(Duration.ofMinutes(1), lease -> LeaseDecision.release());
        }
      }
      manager.tagPeer(peer, "useful", p % 50);
      if (p % 1000 == 0) {
        manager.pin(peer);
      }
    }
    registrations.add(manager.registerPeerScorer("latency", p -> p.id().hashCode() & 255));
    registrations.add(manager.registerConnectionScorer("age", c -> (int) (c.id() % 100)));
    data.invalidate();
  }

  @AfterEach
  void closeAll() {
    registrations.forEach(Registration::close);
    opened.forEach(ManagedConnection::closed);
    for (int p = 0; p < PEERS; p += 1000) {
      manager.unpin(PeerId.of("peer-" + p));
    }
  }

  @Test
  void theConnectionsPageAt100kConnections() throws Exception {
    assertThat(manager.connectionCount()).isEqualTo(CONNECTIONS);
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put(
        "first request (cold JVM): snapshot + assessment + page of 50",
        time(get("/connmgr/connections")));
    for (int i = 0; i < 3; i++) { // warm up the JIT on every path measured below
      data.invalidate();
      time(get("/connmgr/connections"));
      time(get("/connmgr/connections").param("sort", "score").param("order", "desc"));
      time(get("/connmgr/connections").param("peer", "peer-4").param("sort", "peer"));
    }
    figures.put("manager.snapshot() alone", median(() -> manager.inspect().snapshot()));
    figures.put("manager.assess() alone", median(() -> manager.inspect().assess()));
    figures.put(
        "page of 50, cache expired (snapshot + assessment + page)",
        median(
            () -> {
              data.invalidate();
              time(get("/connmgr/connections"));
            }));
    long[] afterExpiry = new long[5];
    for (int i = 0; i < afterExpiry.length; i++) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !refreshing());
      expire();
      afterExpiry[i] = time(get("/connmgr/connections"));
    }
    java.util.Arrays.sort(afterExpiry);
    figures.put(
        "page of 50 after the cache period (last view served, next one taken)", afterExpiry[2]);
    await().atMost(Duration.ofSeconds(30)).until(() -> !refreshing());
    figures.put(
        "page of 50 from the cached snapshot", median(() -> time(get("/connmgr/connections"))));
    figures.put(
        "live fragment of 50, cached",
        median(() -> time(get("/connmgr/connections").param("live", "1"))));
    figures.put(
        "sorted by score desc, page 1000, cached",
        median(
            () ->
                time(
                    get("/connmgr/connections")
                        .param("sort", "score")
                        .param("order", "desc")
                        .param("page", "1000"))));
    figures.put(
        "filtered peer=peer-4 & protocol=kad, by peer, cached",
        median(
            () ->
                time(
                    get("/connmgr/connections")
                        .param("peer", "peer-4")
                        .param("protocol", "kad")
                        .param("sort", "peer"))));
    figures.put(
        "page of 500, cached",
        median(() -> time(get("/connmgr/connections").param("size", "500"))));
    figures.put("overview", median(() -> time(get("/connmgr"))));

    StringBuilder out =
        new StringBuilder(
            "connmgr console, connections page at "
                + CONNECTIONS
                + " connections ("
                + PEERS
                + " peers), MockMvc with Spring Security, "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs, median of 5 after warm-up:\n");
    figures.forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-55s %6d ms%n", k, v)));
    System.out.print(out);
    Path file = Path.of("target", "console-100k.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
    assertThat(file).exists();
  }

  /** Makes the cached view look older than the cache period. */
  void expire() throws Exception {
    var field = ConsoleData.class.getDeclaredField("current");
    field.setAccessible(true);
    ConsoleData.View v = (ConsoleData.View) field.get(data);
    if (v == null) {
      data.view();
      v = (ConsoleData.View) field.get(data);
    }
    field.set(
        data,
        new ConsoleData.View(
            v.snapshot, v.assessment, System.nanoTime() - Duration.ofMinutes(11).toNanos()));
  }

  boolean refreshing() throws Exception {
    var field = ConsoleData.class.getDeclaredField("refreshing");
    field.setAccessible(true);
    return ((java.util.concurrent.atomic.AtomicBoolean) field.get(data)).get();
  }

  interface Step {
    void run() throws Exception;
  }

  static long median(Step step) throws Exception {
    long[] runs = new long[5];
    for (int i = 0; i < runs.length; i++) {
      long start = System.nanoTime();
      step.run();
      runs[i] = (System.nanoTime() - start) / 1_000_000;
    }
    java.util.Arrays.sort(runs);
    return runs[runs.length / 2];
  }

  long time(MockHttpServletRequestBuilder request) throws Exception {
    long start = System.nanoTime();
    String html =
        mvc.perform(request.with(user("viewer").roles("CONNMGR_VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    long took = (System.nanoTime() - start) / 1_000_000;
    assertThat(html).contains("id=\"");
    if (html.contains("id=\"total\"")) {
      assertThat(html).contains("id=\"total\">" + CONNECTIONS + "<");
    }
    return took;
  }
}
