package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.StreamView;
import io.connmgr.inspect.ConnectionScore;
import io.connmgr.inspect.ConnectionSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One row of the connections table, built only for the rows on the page.
 *
 * @param id the connection id
 * @param nextRound its place in the next round's plan, from 1; 0 when held back
 * @param peer the peer id, as text
 * @param direction inbound or outbound, lower case
 * @param transport the transport its adapter named in the {@value #TRANSPORT_ATTACHMENT} attachment
 *     ("websocket", "grpc", "netty"), or null
 * @param age how long it has been open, for people
 * @param streams how many streams are open
 * @param protocols the distinct protocols of its streams
 * @param score its total score, or null if it opened after the assessment
 * @param tagParts the score's tag parts
 * @param scorerParts the score's scorer parts
 * @param heldBack why a round would not close it, or null for a candidate
 * @param leaseLeftMillis the time left of its longest active lease, or -1
 * @param protections the tags its peer is protected under
 * @param pinned whether its peer is pinned by the console
 */
record ConnectionRow(
    long id,
    int nextRound,
    String peer,
    String direction,
    @Nullable String transport,
    String age,
    int streams,
    List<String> protocols,
    @Nullable Double score,
    List<ScorePart> tagParts,
    List<ScorePart> scorerParts,
    @Nullable String heldBack,
    long leaseLeftMillis,
    List<String> protections,
    boolean pinned) {

  /** The name of the connection attachment in which transport adapters name their transport. */
  static final String TRANSPORT_ATTACHMENT = "transport";

  /** One named part of a score. */
  record ScorePart(String name, double value) {
    public String formatted() {
      return Format.score(value);
    }
  }

  static ConnectionRow of(ConsoleData.View view, int i) {
    ConnectionSnapshot c = view.connections[i];
    ConnectionScore s = view.scoreOf[i];
    TreeSet<String> protocols = new TreeSet<>();
    for (StreamView stream : c.streams()) {
      protocols.add(stream.protocol());
    }
    List<String> protections = new ArrayList<>(new TreeSet<>(view.protections(i)));
    return new ConnectionRow(
        c.id(),
        view.nextRound[i],
        c.peer().value(),
        c.direction().name().toLowerCase(Locale.ROOT),
        c.attachments().get(TRANSPORT_ATTACHMENT) instanceof String t ? t : null,
        Format.duration(Duration.ofMillis(view.ageMillis[i])),
        c.streamCount(),
        List.copyOf(protocols),
        s == null ? null : s.score(),
        s == null ? List.of() : parts(s.breakdown(), "tag:"),
        s == null ? List.of() : parts(s.breakdown(), "scorer:"),
        s == null || s.heldBack() == null ? null : Format.reason(s.heldBack()),
        view.leaseLeftMillis[i],
        protections,
        protections.contains(ConnectionManager.PIN_TAG));
  }

  static List<ScorePart> parts(Map<String, Double> breakdown, String prefix) {
    List<ScorePart> out = new ArrayList<>();
    breakdown.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.add(new ScorePart(k.substring(prefix.length()), v));
          }
        });
    return out;
  }

  public String formattedScore() {
    return score == null ? "–" : Format.score(score);
  }

  public boolean leased() {
    return leaseLeftMillis >= 0;
  }

  public String leaseLeft() {
    return leaseLeftMillis < 0 ? "" : Format.duration(Duration.ofMillis(leaseLeftMillis));
  }
}
