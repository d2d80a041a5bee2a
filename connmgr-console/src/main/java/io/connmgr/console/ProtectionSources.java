package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.PeerId;
import io.connmgr.Registration;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorAction;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Where each protection came from, as well as the console can tell. The manager records tags, not
 * their authors, so the console derives the source: a tag other than {@link
 * ConnectionManager#PIN_TAG} is the application's own; a pin of a peer in {@code
 * connmgr.static-peers} is static configuration; a pin present when the console started came from
 * the pins file (when one is configured) or the application's start-up code; a pin on the audit
 * trail (the console's, the actuator's, or code's through {@code OperatorActions}) is that
 * operator's, with their name; any other pin since start was made by application code calling the
 * manager directly.
 */
final class ProtectionSources implements InitializingBean, DisposableBean {

  /** Where a protection came from. */
  enum Source {
    STATIC_CONFIGURATION("static configuration"),
    PINS_FILE("pins file"),
    CONSOLE("console operator"),
    ACTUATOR("actuator operator"),
    OPERATOR_API("OperatorActions call by"),
    SINCE_START("application code"),
    START_UP("application start-up"),
    APPLICATION("application code");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** One protection's source, with who made it and when, where known. */
  record Origin(Source source, String who, @Nullable Instant since) {

    /** The source for people: "console operator admin", "pins file", ... */
    public String label() {
      return who.isEmpty() ? source.label() : source.label() + " " + who;
    }
  }

  private final ConnectionManager manager;
  private final Set<PeerId> staticPeers;
  private final boolean pinsFile;
  private final Set<PeerId> pinnedAtStart = ConcurrentHashMap.newKeySet();
  private final Map<String, Origin> origins = new ConcurrentHashMap<>();
  private final @Nullable AuditTrail audit;
  private @Nullable Registration listening;
  private @Nullable Registration auditing;

  /**
   * @param staticPeers the peers pinned by static configuration
   * @param pinsFile whether a pins file restored pins before the console started
   * @param audit the operator actions on record, if the application has them
   */
  ProtectionSources(
      ConnectionManager manager,
      Set<PeerId> staticPeers,
      boolean pinsFile,
      @Nullable AuditTrail audit) {
    this.manager = manager;
    this.staticPeers = Set.copyOf(staticPeers);
    this.pinsFile = pinsFile;
    this.audit = audit;
  }

  @Override
  public void afterPropertiesSet() {
    listening =
        manager.addListener(
            new ConnectionManagerListener() {
              @Override
              public void onProtectionChanged(PeerId peer, String tag, boolean protectedNow) {
                changed(peer, tag, protectedNow);
              }
            });
    Set<PeerId> pinned = new HashSet<>();
    manager
        .protections()
        .forEach(
            (peer, tags) -> {
              if (tags.contains(ConnectionManager.PIN_TAG)) {
                pinned.add(peer);
              }
            });
    pinnedAtStart.addAll(pinned);
    if (audit != null) {
      auditing = audit.subscribe(this::onRecord);
    }
  }

  /** A pin on record: the protection event came first (during the pin), this names its author. */
  private void onRecord(AuditEntry entry) {
    if (entry.action() != OperatorAction.PIN
        || !entry.succeeded()
        || !PeerId.isValid(entry.target())) {
      return;
    }
    PeerId peer = PeerId.of(entry.target());
    if (!manager.isProtected(peer, ConnectionManager.PIN_TAG)) {
      return; // unpinned again meanwhile
    }
    Source source =
        switch (entry.source()) {
          case CONSOLE -> Source.CONSOLE;
          case ACTUATOR -> Source.ACTUATOR;
          case API -> Source.OPERATOR_API;
        };
    origins.put(
        key(peer, ConnectionManager.PIN_TAG), new Origin(source, entry.principal(), entry.at()));
  }

  private void changed(PeerId peer, String tag, boolean protectedNow) {
    String key = key(peer, tag);
    if (!protectedNow) {
      origins.remove(key);
      if (ConnectionManager.PIN_TAG.equals(tag)) {
        pinnedAtStart.remove(peer);
      }
      return;
    }
    Instant now = manager.inspect().now();
    // listeners may run after the pin's audit entry named its operator: keep that name
    origins.putIfAbsent(
        key,
        new Origin(
            ConnectionManager.PIN_TAG.equals(tag) ? Source.SINCE_START : Source.APPLICATION,
            "",
            now));
  }

  /** Where {@code peer}'s protection under {@code tag} came from. */
  Origin origin(PeerId peer, String tag) {
    Origin known = origins.get(key(peer, tag));
    if (known != null) {
      return known;
    }
    if (!ConnectionManager.PIN_TAG.equals(tag)) {
      return new Origin(Source.APPLICATION, "", null);
    }
    if (staticPeers.contains(peer)) {
      return new Origin(Source.STATIC_CONFIGURATION, "", null);
    }
    if (pinnedAtStart.contains(peer)) {
      return new Origin(pinsFile ? Source.PINS_FILE : Source.START_UP, "", null);
    }
    return new Origin(Source.SINCE_START, "", null);
  }

  private static String key(PeerId peer, String tag) {
    return tag + '\u0000' + peer.value();
  }

  @Override
  public void destroy() {
    if (listening != null) {
      listening.close();
    }
    if (auditing != null) {
      auditing.close();
    }
  }
}
