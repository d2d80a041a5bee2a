package io.connmgr.console;

import static io.connmgr.console.Params.bool;
import static io.connmgr.console.Params.put;
import static io.connmgr.console.Params.text;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The pins page's filters and page: every protected peer, connected or not.
 *
 * @param peer a substring of the peer id; empty for any
 * @param connected whether the peer has a connection now, or null for either
 * @param page the page, from 1
 * @param size rows per page
 */
record ProtectionQuery(String peer, @Nullable Boolean connected, int page, int size) {

  /** One protected peer. */
  record Row(String peer, int connections, List<Protection> protections, boolean pinned) {}

  /** One tag a peer is protected under, and where it came from. */
  record Protection(String tag, ProtectionSources.Origin origin) {}

  /**
   * One page of protected peers.
   *
   * @param rows the peers on this page, by peer id
   * @param matching how many match the filters
   * @param total how many peers are protected
   */
  record Result(ProtectionQuery query, List<Row> rows, int matching, int total, Paging paging)
      implements Paged {

    @Override
    public String pageQuery(int to) {
      Map<String, String> m = query.filterParams();
      m.put("page", Integer.toString(Math.max(1, Math.min(paging.pages(), to))));
      return Links.query(m);
    }

    public Map<String, String> getFilters() {
      return query.filterParams();
    }
  }

  static ProtectionQuery parse(Map<String, String> params) {
    return new ProtectionQuery(
        text(params, "peer"), bool(params, "connected"), Params.page(params), Params.size(params));
  }

  Result run(Map<PeerId, Set<String>> protections, Snapshot snapshot, ProtectionSources sources) {
    List<Map.Entry<PeerId, Set<String>>> all = new ArrayList<>(protections.entrySet());
    all.sort(Comparator.comparing(e -> e.getKey().value()));
    List<Row> matching = new ArrayList<>();
    for (Map.Entry<PeerId, Set<String>> e : all) {
      PeerId id = e.getKey();
      int connections = snapshot.peer(id).map(PeerSnapshot::connections).map(List::size).orElse(0);
      if ((!peer.isEmpty() && !id.value().contains(peer))
          || (connected != null && connected != (connections > 0))) {
        continue;
      }
      List<Protection> tags = new ArrayList<>();
      for (String tag : new TreeSet<>(e.getValue())) {
        tags.add(new Protection(tag, sources.origin(id, tag)));
      }
      matching.add(
          new Row(
              id.value(),
              connections,
              List.copyOf(tags),
              e.getValue().contains(ConnectionManager.PIN_TAG)));
    }
    Paging at = Paging.of(matching.size(), page, size);
    return new Result(
        this, List.copyOf(matching.subList(at.from(), at.to())), matching.size(), all.size(), at);
  }

  Map<String, String> filterParams() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "peer", peer);
    put(m, "connected", connected == null ? "" : connected ? "yes" : "no");
    m.put("size", Integer.toString(size));
    return m;
  }
}
