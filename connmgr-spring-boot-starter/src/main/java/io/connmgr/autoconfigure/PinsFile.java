package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.PeerId;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps operator pins ({@link ConnectionManager#PIN_TAG}) across restarts in {@code
 * connmgr.pins-file}: loaded when the manager starts, written again after every pin and unpin.
 * Each write goes to a temporary file beside it and is renamed over it, so a crash never leaves a
 * half-written file. A file that cannot be read is reported, moved aside and ignored: it never
 * stops the application from starting.
 *
 * <p>The format is one URL-encoded peer id per line; lines starting with {@code #} are comments.
 */
public final class PinsFile implements ConnectionManagerListener {

  private static final Log LOG = LogFactory.getLog(PinsFile.class);
  private static final String HEADER = "# connmgr operator pins: one URL-encoded peer id per line."
      + " Written by connmgr after each pin or unpin.";

  private final ConnectionManager manager;
  private final Path file;

  /** Binds the file to the manager; call {@link #load()} to restore what it holds. */
  public PinsFile(ConnectionManager manager, Path file) {
    this.manager = manager;
    this.file = file.toAbsolutePath();
  }

  /**
   * Pins every peer the file lists.
   *
   * @return how many peers were pinned; 0 for a missing or corrupt file
   */
  public int load() {
    if (!Files.exists(file)) {
      return 0;
    }
    List<PeerId> peers;
    try {
      peers = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      setAside(e);
      return 0;
    }
    peers.forEach(manager::pin);
    LOG.info("Restored " + peers.size() + " operator pin(s) from " + file);
    return peers.size();
  }

  @Override
  public void onProtectionChanged(PeerId peer, String tag, boolean protectedNow) {
    if (ConnectionManager.PIN_TAG.equals(tag)) {
      save();
    }
  }

  /** Writes the current pins: temporary file, then an atomic rename over the file. */
  synchronized void save() {
    TreeSet<String> lines = new TreeSet<>();
    manager.protections().forEach((peer, tags) -> {
      if (tags.contains(ConnectionManager.PIN_TAG)) {
        lines.add(URLEncoder.encode(peer.value(), StandardCharsets.UTF_8));
      }
    });
    List<String> content = new ArrayList<>();
    content.add(HEADER);
    content.addAll(lines);
    try {
      Path dir = file.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.write(temp, content, StandardCharsets.UTF_8);
        move(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      LOG.warn("Could not write the connmgr pins file " + file + "; pins still hold in memory",
          e);
    }
  }

  private void move(Path temp) throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<PeerId> parse(List<String> lines) {
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        peers.add(PeerId.of(URLDecoder.decode(line, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return peers;
  }

  private void setAside(Exception problem) {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now()
        .toEpochMilli());
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn("The connmgr pins file " + file + " could not be read (" + problem.getMessage()
          + "); moved it to " + aside + " and started without its pins");
    } catch (IOException e) {
      LOG.warn("The connmgr pins file " + file + " could not be read (" + problem.getMessage()
          + ") nor moved aside (" + e.getMessage() + "); started without its pins");
    }
  }
}
