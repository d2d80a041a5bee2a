package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ConnectionScore;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.RecentEviction;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's read-only pages: overview, connections, one peer, scorers and vetoes. Each answers
 * {@code ?live=1} with just its live fragment, which the page polls.
 */
@Controller
@RequestMapping("${connmgr.console.path:/connmgr}")
final class ConsoleViewController {

  static final int EVICTIONS_SHOWN = 20;
  static final int ROUNDS_SHOWN = 20;
  static final int PEER_EVICTIONS_SHOWN = 50;
  static final int OPERATOR_SHOWN = 5;

  private final ConnectionManager manager;
  private final ConsoleData data;
  private final ConsoleRecorder recorder;
  private final ConsolePages pages;
  private final ConsoleProperties properties;
  private final EvictionArchive archive;
  private final ProtectionSources sources;

  ConsoleViewController(
      ConnectionManager manager,
      ConsoleData data,
      ConsoleRecorder recorder,
      ConsolePages pages,
      ConsoleProperties properties,
      EvictionArchive archive,
      ProtectionSources sources) {
    this.manager = manager;
    this.data = data;
    this.recorder = recorder;
    this.pages = pages;
    this.properties = properties;
    this.archive = archive;
    this.sources = sources;
  }

  @GetMapping({"", "/"})
  public String overview(HttpServletRequest request, Model model) {
    pages.populate(model, request, "overview");
    ManagerStats info = manager.stats();
    model.addAttribute("info", info);
    model.addAttribute("now", manager.inspect().now());
    model.addAttribute(
        "chart",
        new Chart(
            recorder.samples(),
            properties.getChartWindow(),
            manager.inspect().now(),
            info.lowWater(),
            info.highWater()));
    model.addAttribute("chartWindow", Format.duration(properties.getChartWindow()));
    List<TrimReport> rounds = manager.stats().recentRounds();
    model.addAttribute("rounds", rounds.subList(0, Math.min(ROUNDS_SHOWN, rounds.size())));
    List<EvictionRecord> history = archive.all();
    model.addAttribute("evictions", history.subList(0, Math.min(EVICTIONS_SHOWN, history.size())));
    model.addAttribute("evictionTotal", history.size());
    model.addAttribute("operatorEvictions", archive.newestByOperator(OPERATOR_SHOWN));
    return view("overview", request);
  }

  /** The whole kept eviction history, filtered and paged on the server, with totals. */
  @GetMapping("/evictions")
  public String evictions(
      @RequestParam Map<String, String> params, HttpServletRequest request, Model model) {
    EvictionQuery query = EvictionQuery.parse(params);
    pages.populate(model, request, "evictions");
    Instant now = manager.inspect().now();
    model.addAttribute("now", now);
    model.addAttribute("result", query.run(archive.all(), now));
    model.addAttribute("totals", archive.totals());
    model.addAttribute("kept", archive.capacity());
    model.addAttribute("operatorRounds", recorder.operatorRounds());
    model.addAttribute("triggers", Trigger.values());
    model.addAttribute("windows", EvictionQuery.WINDOWS.keySet());
    model.addAttribute("sizes", Params.SIZES);
    return view("evictions", request);
  }

  /** Every protection, connected or not, with where it came from. */
  @GetMapping("/pins")
  public String pins(
      @RequestParam Map<String, String> params, HttpServletRequest request, Model model) {
    ProtectionQuery query = ProtectionQuery.parse(params);
    pages.populate(model, request, "pins");
    model.addAttribute("result", query.run(manager.protections(), data.view().snapshot, sources));
    model.addAttribute("sizes", Params.SIZES);
    return view("pins", request);
  }

  /** Any other path under the console: the console's own 404 page. */
  @RequestMapping({"/{first:^(?!assets$).*$}", "/{first:^(?!assets$).*$}/**"})
  public String unknown(HttpServletRequest request) {
    throw ConsoleInputException.notFound(
        "the console has no page at " + ConsolePages.here(request));
  }

  @GetMapping("/connections")
  public String connections(
      @RequestParam Map<String, String> params, HttpServletRequest request, Model model) {
    ConnectionQuery query = ConnectionQuery.parse(params);
    pages.populate(model, request, "connections");
    ConsoleData.View view = data.view();
    model.addAttribute("result", query.run(view));
    model.addAttribute("takenAt", view.snapshot.takenAt());
    model.addAttribute("sizes", Params.SIZES);
    model.addAttribute("info", manager.stats());
    return view("connections", request);
  }

  @GetMapping("/peer")
  public String peer(
      @RequestParam(name = "id", required = false) @Nullable String id,
      HttpServletRequest request,
      Model model) {
    PeerId peer = peerId(id);
    pages.populate(model, request, "peer");
    ConsoleData.View view = data.view();
    Optional<PeerSnapshot> snap = view.snapshot.peer(peer);
    boolean known = manager.inspect().tagInfo(peer).isPresent();
    if (snap.isEmpty() && known) {
      view = data.refreshed(); // the peer arrived after the cached snapshot
      snap = view.snapshot.peer(peer);
    }
    ConsoleData.View shown = view;
    List<EvictionRecord> history =
        archive.all().stream()
            .filter(r -> r.peer().equals(peer))
            .limit(PEER_EVICTIONS_SHOWN)
            .toList();
    Optional<RecentEviction> recentEviction = manager.inspect().recentEviction(peer);
    if (snap.isEmpty()
        && !known
        && history.isEmpty()
        && !manager.isProtected(peer, null)
        && recentEviction.isEmpty()) {
      throw ConsoleInputException.notFound("peer '" + peer + "' is not known to the manager");
    }
    model.addAttribute("peerId", peer.value());
    model.addAttribute("peer", snap.orElse(null));
    model.addAttribute("newer", snap.isEmpty() && known);
    model.addAttribute("pinned", manager.isProtected(peer, ConnectionManager.PIN_TAG));
    model.addAttribute(
        "protections",
        new java.util.TreeSet<>(
            snap.map(PeerSnapshot::protections)
                .orElseGet(() -> manager.protections().getOrDefault(peer, java.util.Set.of()))));
    model.addAttribute(
        "conns",
        snap.map(
                p ->
                    p.connections().stream()
                        .map(
                            c ->
                                PeerConnection.of(
                                    c, shown.scoreFor(c.id()), shown.snapshot.takenAt()))
                        .toList())
            .orElse(List.of()));
    model.addAttribute("takenAt", view.snapshot.takenAt());
    model.addAttribute("evictions", history);
    model.addAttribute("recentEviction", recentEviction.orElse(null));
    return view("peer", request);
  }

  @GetMapping("/scorers")
  public String scorers(HttpServletRequest request, Model model) {
    pages.populate(model, request, "scorers");
    model.addAttribute("scorers", manager.inspect().scorers());
    model.addAttribute("vetoes", manager.inspect().vetoes());
    model.addAttribute("leaseExtensions", manager.stats().leaseExtensions());
    Map<String, Long> refusals = new java.util.TreeMap<>();
    manager
        .stats()
        .refusals()
        .forEach(
            (limit, n) -> {
              if (n > 0) {
                refusals.put(limit.name().toLowerCase(java.util.Locale.ROOT), n);
              }
            });
    model.addAttribute("refusals", refusals);
    model.addAttribute("emergencyRounds", manager.stats().rounds().get(Trigger.EMERGENCY));
    return view("scorers", request);
  }

  /** A peer's connection with its score, for the peer page. */
  record PeerConnection(
      ConnectionSnapshot connection, @Nullable ConnectionScore score, String age) {

    static PeerConnection of(ConnectionSnapshot c, @Nullable ConnectionScore score, Instant at) {
      Duration d = Duration.between(c.openedAt(), at);
      return new PeerConnection(c, score, Format.duration(d.isNegative() ? Duration.ZERO : d));
    }
  }

  static PeerId peerId(@Nullable String id) {
    if (id == null || !PeerId.isValid(id)) {
      throw ConsoleInputException.badRequest(
          id == null || id.isEmpty()
              ? "a peer id is required"
              : "not a valid peer id: it must be non-blank, at most "
                  + PeerId.MAX_LENGTH
                  + " printable characters");
    }
    return PeerId.of(id);
  }

  private static String view(String name, HttpServletRequest request) {
    return ConsolePages.live(request) ? "connmgr/" + name + " :: live" : "connmgr/" + name;
  }
}
