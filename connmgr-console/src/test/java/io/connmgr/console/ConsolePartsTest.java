package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's parts without a web layer: the query, the cache, the recorder, the chart. */
class ConsolePartsTest {

  final ConnectionManager manager =
      ConnectionManager.builder()
          .lowWater(2)
          .highWater(3)
          .gracePeriod(Duration.ZERO)
          .silencePeriod(Duration.ZERO)
          .maintenanceInterval(Duration.ZERO)
          .build();
  final Swarm swarm = new Swarm(manager);

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void anAbsentQueryMeansEveryConnectionInClosingOrderFiftyAPage() {
    ConnectionQuery q = ConnectionQuery.parse(Map.of());
    assertThat(q.sort()).isEqualTo(ConnectionQuery.Sort.CLOSING);
    assertThat(q.page()).isEqualTo(1);
    assertThat(q.size()).isEqualTo(50);
    assertThat(q.direction()).isNull();
    assertThat(q.filterParams()).isEmpty();
  }

  @Test
  void theDefaultOrderIsTheOrderTheNextRoundWouldClose() {
    swarm.open("keep", Direction.INBOUND);
    swarm.open("first", Direction.INBOUND);
    swarm.open("second", Direction.OUTBOUND);
    manager.tagPeer(PeerId.of("keep"), "v", 100);
    manager.tagPeer(PeerId.of("second"), "v", 5);
    ConsoleData.View view = new ConsoleData(manager, Duration.ZERO).view();
    ConnectionPage page = ConnectionQuery.parse(Map.of()).run(view);
    assertThat(page.getRows())
        .extracting(ConnectionRow::peer)
        .containsExactly("first", "second", "keep");
    assertThat(ConnectionQuery.parse(Map.of("sort", "score", "order", "desc")).run(view).getRows())
        .extracting(ConnectionRow::peer)
        .containsExactly("keep", "second", "first");
    assertThat(ConnectionQuery.parse(Map.of("sort", "peer")).run(view).getRows())
        .extracting(ConnectionRow::peer)
        .containsExactly("first", "keep", "second");
  }

  @Test
  void aPageBeyondTheLastShowsTheLast() {
    for (int i = 0; i < 60; i++) {
      swarm.open("p" + i, Direction.INBOUND);
    }
    ConsoleData.View view = new ConsoleData(manager, Duration.ZERO).view();
    ConnectionPage page = ConnectionQuery.parse(Map.of("size", "25", "page", "9")).run(view);
    assertThat(page.getPage()).isEqualTo(3);
    assertThat(page.getPages()).isEqualTo(3);
    assertThat(page.getRows()).hasSize(10);
    assertThat(page.pageQuery(1)).contains("page=1").contains("size=25");
  }

  @Test
  void linksEncodeEveryValue() {
    assertThat(Links.query(new java.util.LinkedHashMap<>(Map.of("peer", "a&b=<c> d"))))
        .isEqualTo("?peer=a%26b%3D%3Cc%3E+d");
  }

  @Test
  void sortableKeysKeepTheOrderOfScores() {
    double[] scores = {-1000.5, -1, -0.25, 0, 0.25, 1, 7.5, 1000, 1e9};
    for (int i = 1; i < scores.length; i++) {
      assertThat(ConnectionQuery.sortable(scores[i - 1]))
          .isLessThan(ConnectionQuery.sortable(scores[i]));
    }
    assertThat(ConnectionQuery.sortable(Double.NaN)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void theViewIsCachedForItsPeriodAndDroppedByInvalidate() {
    swarm.open("a", Direction.INBOUND);
    ConsoleData data = new ConsoleData(manager, Duration.ofMinutes(5));
    ConsoleData.View first = data.view();
    swarm.open("b", Direction.INBOUND);
    assertThat(data.view()).isSameAs(first);
    data.invalidate();
    assertThat(data.view()).isNotSameAs(first).extracting(ConsoleData.View::size).isEqualTo(2);
    assertThat(new ConsoleData(manager, Duration.ZERO).view().size()).isEqualTo(2);
  }

  @Test
  void anExpiredViewIsServedWhileTheNextIsTakenInTheBackground() throws Exception {
    swarm.open("a", Direction.INBOUND);
    ConsoleData data = new ConsoleData(manager, Duration.ofMillis(20));
    try {
      ConsoleData.View first = data.view();
      swarm.open("b", Direction.INBOUND);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> data.view().size() == 2);
      assertThat(data.view()).isNotSameAs(first);
      swarm.open("c", Direction.INBOUND);
      data.invalidate();
      assertThat(data.view().size()).as("after invalidate the next view is fresh").isEqualTo(3);
    } finally {
      data.destroy();
    }
  }

  @Test
  void theRecorderKeepsABoundedSeriesAndTheLastOperatorRounds() {
    ConsoleRecorder recorder =
        new ConsoleRecorder(manager, Duration.ofSeconds(10), Duration.ofSeconds(50));
    assertThat(recorder.capacity()).isEqualTo(5);
    ManagedConnection c = swarm.open("x", Direction.INBOUND);
    for (int i = 0; i < 8; i++) {
      recorder.sample();
    }
    assertThat(recorder.samples())
        .hasSize(5)
        .allSatisfy(s -> assertThat(s.connections()).isEqualTo(1));
    recorder.afterPropertiesSet();
    try {
      for (int i = 0; i < ConsoleRecorder.ROUNDS_KEPT + 3; i++) {
        manager.trim();
      }
      // the recorder hears rounds as a listener, on the manager's callback threads
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(recorder.operatorRounds()).hasSize(ConsoleRecorder.ROUNDS_KEPT));
    } finally {
      recorder.destroy();
      c.closed();
    }
    TrimReport afterDestroy = manager.trim();
    assertThat(recorder.operatorRounds())
        .hasSize(ConsoleRecorder.ROUNDS_KEPT)
        .doesNotContain(afterDestroy);
  }

  @Test
  void theRecorderStartsWithTheRoundThatRanBeforeIt() {
    manager.trim();
    ConsoleRecorder recorder =
        new ConsoleRecorder(manager, Duration.ofSeconds(10), Duration.ofSeconds(50));
    recorder.afterPropertiesSet();
    try {
      assertThat(recorder.operatorRounds())
          .containsExactly(manager.stats().lastReport().orElseThrow());
    } finally {
      recorder.destroy();
    }
  }

  @Test
  void theRecorderRefusesANonPositiveInterval() {
    assertThatThrownBy(() -> new ConsoleRecorder(manager, Duration.ZERO, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample-interval");
  }

  @Test
  void theChartDrawsTheCountAgainstTheWatermarks() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    List<ConsoleRecorder.Sample> series =
        List.of(
            new ConsoleRecorder.Sample(now.minusSeconds(7200), 999, 10, 20), // outside the window
            new ConsoleRecorder.Sample(now.minusSeconds(3600), 0, 10, 20),
            new ConsoleRecorder.Sample(now.minusSeconds(1800), 15, 10, 20),
            new ConsoleRecorder.Sample(now, 30, 10, 20));
    Chart chart = new Chart(series.subList(1, 4), Duration.ofHours(1), now, 10, 20);
    assertThat(chart.getMax()).isGreaterThanOrEqualTo(33);
    assertThat(chart.getPoints().split(" ")).hasSize(3);
    assertThat(chart.getPoints()).startsWith(Chart.LEFT + ".0,");
    assertThat(chart.getHighY()).isLessThan(chart.getLowY());
    assertThat(chart.getFrom()).isEqualTo("11:00");
    assertThat(chart.getTo()).isEqualTo("12:00");
    assertThat(new Chart(series, Duration.ofHours(1), now, 10, 20).getPoints().split(" "))
        .hasSize(3);
  }

  @Test
  void formatsReadWell() {
    assertThat(Format.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Format.duration(Duration.ofMillis(12_340))).isEqualTo("12.3 s");
    assertThat(Format.duration(Duration.ofSeconds(245))).isEqualTo("4m 05s");
    assertThat(Format.duration(Duration.ofMinutes(123))).isEqualTo("2h 03m");
    assertThat(Format.duration(Duration.ofHours(76))).isEqualTo("3d 4h");
    assertThat(Format.score(12)).isEqualTo("12");
    assertThat(Format.score(12.25)).isEqualTo("12.3");
    assertThat(Format.latency(Duration.ofNanos(1500))).isEqualTo("1.5 µs");
    assertThat(Format.latency(Duration.ofMillis(3))).isEqualTo("3.00 ms");
  }

  @Test
  void theWatermarkLabelsNeverTouchTheLineNorEachOther() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    for (int[] marks : new int[][] {{10, 20}, {299, 300}, {0, 1}, {900, 900}}) {
      List<ConsoleRecorder.Sample> series = new java.util.ArrayList<>();
      for (int i = 0; i <= 60; i++) { // the count runs right through both watermarks
        series.add(
            new ConsoleRecorder.Sample(
                now.minusSeconds(3600 - i * 60L),
                i % 2 == 0 ? marks[0] : marks[1],
                marks[0],
                marks[1]));
      }
      Chart chart = new Chart(series, Duration.ofHours(1), now, marks[0], marks[1]);
      double rightmost = 0;
      for (String point : chart.getPoints().split(" ")) {
        rightmost = Math.max(rightmost, Double.parseDouble(point.split(",")[0]));
      }
      assertThat(chart.getLabelX())
          .as("labels start right of the line")
          .isGreaterThan((int) Math.ceil(rightmost));
      assertThat(chart.getLabelX() + 60)
          .as("and fit in the chart")
          .isLessThanOrEqualTo(chart.getWidth());
      assertThat(chart.getLowLabelY() - chart.getHighLabelY())
          .as("a line apart")
          .isGreaterThanOrEqualTo(Chart.TEXT_LINE);
    }
  }

  @Test
  void operatorEvictionsAreKeptApartFromAutomaticOnes() {
    EvictionArchive archive = new EvictionArchive(manager, 3);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    archive.add(record(1, t, io.connmgr.Trigger.OPERATOR));
    archive.add(record(2, t.plusSeconds(1), io.connmgr.Trigger.MANUAL));
    for (int i = 0; i < 50; i++) {
      archive.add(record(10 + i, t.plusSeconds(10 + i), io.connmgr.Trigger.WATERMARK));
    }
    List<io.connmgr.EvictionRecord> all = archive.all();
    assertThat(all)
        .extracting(io.connmgr.EvictionRecord::connectionId)
        .containsExactly(59L, 58L, 57L, 2L, 1L); // newest first, both rings merged
    assertThat(archive.find(1)).isPresent();
    assertThat(archive.find(10)).isEmpty();
    assertThat(archive.newestByOperator(1))
        .extracting(io.connmgr.EvictionRecord::connectionId)
        .containsExactly(2L);
    assertThat(archive.totals())
        .containsEntry(io.connmgr.Trigger.WATERMARK, 50L)
        .containsEntry(io.connmgr.Trigger.OPERATOR, 1L)
        .containsEntry(io.connmgr.Trigger.EMERGENCY, 0L);
    assertThatThrownBy(() -> new EvictionArchive(manager, 0))
        .hasMessageContaining("evictions-kept");
  }

  @Test
  void theArchiveStartsFromTheManagersHistoryAndFollowsIt() {
    ManagedConnection early = swarm.open("early");
    manager.evict(early.id(), "before the console");
    EvictionArchive archive = new EvictionArchive(manager, 10);
    archive.afterPropertiesSet();
    ManagedConnection late = swarm.open("late");
    manager.evict(late.id(), "after");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(archive.all())
                    .extracting(r -> r.peer().value())
                    .containsExactly("late", "early")); // listeners may hear of it a moment later
    archive.destroy();
  }

  static io.connmgr.EvictionRecord record(long id, Instant at, io.connmgr.Trigger trigger) {
    return new io.connmgr.EvictionRecord(
        at, id, PeerId.of("p" + id), Direction.INBOUND, trigger, "test", 0, Map.of());
  }
}
