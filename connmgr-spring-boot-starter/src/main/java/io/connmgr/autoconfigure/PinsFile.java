package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.PeerId;
import io.connmgr.audit.PinLimit;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps operator pins ({@link ConnectionManager#PIN_TAG}) across restarts in {@code
 * connmgr.pins-file}: loaded when the manager starts, written again after every pin and unpin. Each
 * write goes to a temporary file beside it and is renamed over it, so a crash never leaves a
 * half-written file; temporary files a crash left behind are deleted at the next start. When the
 * file is a symbolic link (a mounted volume, a config directory), the write goes to the link's
 * target and the link stays. A pin event whose change an earlier write already holds (one write can
 * cover many pins, and the pins loaded at start are in the file already) writes nothing. Static
 * peers ({@code connmgr.static-peers}) come from the configuration only: they are never written
 * here, so removing one from the configuration unpins it at the next start.
 *
 * <p>A file that cannot be read, holds an invalid or unverified id, or is larger than {@link
 * #MAX_BYTES} is reported, moved aside and ignored: it never stops the application from starting.
 * Writes keep to the same limit, so this file never writes one the next start would reject: as a
 * {@link PinLimit} it refuses an operator pin that would pass it, and pins by code past it are not
 * written (the file keeps the last pins that fit). The format is one URL-encoded peer id per line;
 * lines starting with {@code #} are comments.
 */
public final class PinsFile implements ConnectionManagerListener, PinLimit {

  /** The largest pins file read, in bytes (1 MiB: thousands of the longest ids). */
  public static final long MAX_BYTES = 1024 * 1024;

  private static final Log LOG = LogFactory.getLog(PinsFile.class);
  private static final String HEADER =
      "# connmgr operator pins: one URL-encoded peer id per line."
          + " Written by connmgr after each pin or unpin.";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final int MAX_LINKS = 40;

  private final ConnectionManager manager;
  private final Path file;
  private final Set<PeerId> staticPeers;
  private List<String> written = List.of(); // guarded by this: the content last loaded or written

  /**
   * Binds the file to the manager; call {@link #load()} to restore what it holds.
   *
   * @param staticPeers the configured static peers, which the file never holds
   */
  public PinsFile(ConnectionManager manager, Path file, Set<PeerId> staticPeers) {
    this.manager = manager;
    this.file = file.toAbsolutePath();
    this.staticPeers = Set.copyOf(staticPeers);
  }

  /**
   * Deletes temporary files an interrupted write left, then pins every peer the file lists.
   *
   * @return how many peers were pinned; 0 for a missing, corrupt or oversized file
   */
  public int load() {
    Path target;
    try {
      target = target();
    } catch (IOException e) {
      LOG.warn(
          "The connmgr pins file "
              + file
              + " could not be resolved ("
              + e.getMessage()
              + "); started without its pins");
      return 0;
    }
    deleteStaleTemps(target);
    if (!Files.exists(target)) {
      return 0;
    }
    List<PeerId> peers;
    try {
      long size = Files.size(target);
      if (size > MAX_BYTES) {
        throw new IOException("it is " + size + " bytes, above the limit of " + MAX_BYTES);
      }
      peers = parse(Files.readAllLines(target, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      setAside(target, e);
      return 0;
    }
    peers.forEach(manager::pin);
    synchronized (this) {
      written = content(null); // the pin events that follow have nothing new to write
    }
    LOG.info("Restored " + peers.size() + " operator pin(s) from " + file);
    return peers.size();
  }

  @Override
  public void onProtectionChanged(PeerId peer, String tag, boolean protectedNow) {
    if (ConnectionManager.PIN_TAG.equals(tag)) {
      save();
    }
  }

  /**
   * Refuses a pin that would make the file larger than {@link #MAX_BYTES}, which the next start
   * would reject; a peer already pinned, or a static one, always passes.
   *
   * @throws IllegalStateException naming the size the file would reach and the limit
   */
  @Override
  public void check(PeerId peer) {
    if (staticPeers.contains(peer) || manager.isProtected(peer, ConnectionManager.PIN_TAG)) {
      return;
    }
    List<String> content = content(peer);
    long size = bytes(content);
    if (size > MAX_BYTES) {
      throw new IllegalStateException(
          "the pins file "
              + file
              + " would grow to "
              + size
              + " bytes, above its limit of "
              + MAX_BYTES
              + "; unpin peers first");
    }
  }

  /**
   * Writes the current pins but the static peers: temporary file, then an atomic rename. Pins that
   * would make the file larger than {@link #MAX_BYTES} (pinned by code, which no limit stops) are
   * not written: the file keeps the last pins that fit, and a warning says so.
   */
  synchronized void save() {
    List<String> content = content(null);
    if (content.equals(written)) {
      return; // an event whose change an earlier save already wrote
    }
    long size = bytes(content);
    if (size > MAX_BYTES) {
      LOG.warn(
          "The connmgr pins file "
              + file
              + " was not written: with "
              + (content.size() - 1)
              + " pins it would be "
              + size
              + " bytes, above its limit of "
              + MAX_BYTES
              + ". It keeps the last pins that fit; the others hold in memory until a restart");
      return;
    }
    try {
      Path target = target();
      Path dir = target.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path temp = Files.createTempFile(dir, target.getFileName() + ".", TEMP_SUFFIX);
      try {
        Files.write(temp, content, StandardCharsets.UTF_8);
        move(temp, target);
        written = content;
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      LOG.warn(
          "Could not write the connmgr pins file "
              + file
              + "; pins still hold in memory ("
              + e
              + ")");
    }
  }

  /** The file's lines: the header, then the pins but the static peers, plus {@code extra}. */
  private List<String> content(@Nullable PeerId extra) {
    TreeSet<String> lines = new TreeSet<>();
    manager
        .protections()
        .forEach(
            (peer, tags) -> {
              if (tags.contains(ConnectionManager.PIN_TAG) && !staticPeers.contains(peer)) {
                lines.add(encode(peer));
              }
            });
    if (extra != null) {
      lines.add(encode(extra));
    }
    List<String> content = new ArrayList<>();
    content.add(HEADER);
    content.addAll(lines);
    return content;
  }

  private static String encode(PeerId peer) {
    return URLEncoder.encode(peer.value(), StandardCharsets.UTF_8);
  }

  /** The size of {@code lines} as {@link Files#write} writes them. */
  private static long bytes(List<String> lines) {
    long separator = System.lineSeparator().getBytes(StandardCharsets.UTF_8).length;
    long size = 0;
    for (String line : lines) {
      size += line.getBytes(StandardCharsets.UTF_8).length + separator;
    }
    return size;
  }

  /** The file itself, or the end of its chain of symbolic links (which may not exist yet). */
  private Path target() throws IOException {
    Path current = file;
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(current); i++) {
      Path link = Files.readSymbolicLink(current);
      Path parent = current.getParent();
      current = (parent == null ? link : parent.resolve(link)).normalize();
    }
    if (Files.isSymbolicLink(current)) {
      throw new IOException("more than " + MAX_LINKS + " symbolic links from " + file);
    }
    return current;
  }

  private static void deleteStaleTemps(Path target) {
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    String name = target.getFileName().toString();
    DirectoryStream.Filter<Path> stale =
        p -> {
          String n = p.getFileName().toString();
          return n.startsWith(name)
              && n.endsWith(TEMP_SUFFIX)
              && !n.equals(name)
              && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        };
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, stale)) {
      for (Path temp : temps) {
        Files.deleteIfExists(temp);
        LOG.info("Deleted " + temp + ", left by an interrupted write of the connmgr pins file");
      }
    } catch (IOException e) {
      LOG.warn(
          "Could not clean temporary files of the connmgr pins file in " + dir + " (" + e + ")");
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
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
        PeerId peer = PeerId.of(URLDecoder.decode(line, StandardCharsets.UTF_8));
        if (!peer.isVerified()) {
          throw new IllegalArgumentException("an unverified id cannot be pinned");
        }
        peers.add(peer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return peers;
  }

  private void setAside(Path target, Exception problem) {
    Path aside =
        target.resolveSibling(target.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
    try {
      Files.move(target, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn(
          "The connmgr pins file "
              + file
              + " could not be used ("
              + problem.getMessage()
              + "); moved it to "
              + aside
              + " and started without its pins");
    } catch (IOException e) {
      LOG.warn(
          "The connmgr pins file "
              + file
              + " could not be used ("
              + problem.getMessage()
              + ") nor moved aside ("
              + e.getMessage()
              + "); started without its pins");
    }
  }
}
