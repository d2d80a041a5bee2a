package io.connmgr.benchmarks;

import io.connmgr.Closer;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fixture of issue 7: peer ids, weights, protected set, directions and streams, derived from
 * SplitMix64 exactly as go-libp2p's run derived them, so the figures compare.
 */
public final class Fixture {

  /** The protocol of the fixture's streams. */
  public static final String PROTOCOL = "/ipfs/bitswap/1.2.0";

  /** A closer that does nothing: the cost of closing a socket is the transport's, not ours. */
  public static final Closer NO_OP_CLOSER = why -> {};

  private static final ConcurrentHashMap<Integer, PeerId[]> PEERS = new ConcurrentHashMap<>();

  private Fixture() {}

  /**
   * The first {@code n} peer ids: peer i takes the next two outputs x1, x2 of SplitMix64(42); its
   * id is the hex of {@code 0x12 0x20 || sha256(LE64(x1) || LE64(x2))}. Cached: the arrays are
   * shared and must not be changed.
   */
  public static PeerId[] peers(int n) {
    PeerId[] cached = PEERS.get(n);
    if (cached != null) {
      return cached;
    }
    PeerId[] ids = derivePeers(n);
    PEERS.putIfAbsent(n, ids);
    return PEERS.get(n);
  }

  static PeerId[] derivePeers(int n) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    SplitMix64 rng = new SplitMix64(42);
    ByteBuffer input = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    HexFormat hex = HexFormat.of();
    PeerId[] ids = new PeerId[n];
    byte[] multihash = new byte[34];
    multihash[0] = 0x12;
    multihash[1] = 0x20;
    for (int i = 0; i < n; i++) {
      input.clear();
      input.putLong(rng.next()).putLong(rng.next());
      byte[] digest = sha256.digest(input.array());
      System.arraycopy(digest, 0, multihash, 2, 32);
      ids[i] = PeerId.of(hex.formatHex(multihash));
    }
    return ids;
  }

  /** Tag weights of W1: {@code intn(101)} from SplitMix64(1), one per peer. */
  public static int[] weights(int n) {
    SplitMix64 rng = new SplitMix64(1);
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = rng.intn(101);
    }
    return w;
  }

  /**
   * The protected peers of W1: the first n/10 of a partial Fisher-Yates shuffle of 0..n-1 driven by
   * SplitMix64(2).
   */
  public static boolean[] protectedPeers(int n) {
    SplitMix64 rng = new SplitMix64(2);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int k = n / 10;
    for (int i = 0; i < k; i++) {
      int j = i + rng.intn(n - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    boolean[] chosen = new boolean[n];
    for (int i = 0; i < k; i++) {
      chosen[a[i]] = true;
    }
    return chosen;
  }

  /**
   * Collects the garbage of a setup and moves the freshly built manager out of the young
   * generation, as it would be in a service that has run for a while. Without this, the first young
   * collection lands in the timed round and copies the whole manager (tens of megabytes at N = 100
   * 000), which measures the setup, not the round. Untimed: call it from a setup.
   */
  public static void settleHeap() {
    System.gc();
    System.gc();
  }

  /** Connection i is inbound when i is even. */
  public static Direction direction(int i) {
    return i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND;
  }

  /** Connection i has {@code i mod 3} open streams. */
  public static int streams(int i) {
    return i % 3;
  }

  /** A remote address for peer i. */
  public static String address(int i) {
    return "10." + (i >>> 16 & 0xff) + "." + (i >>> 8 & 0xff) + "." + (i & 0xff) + ":4001";
  }

  /** Opens connection i of the fixture (direction and streams included) to {@code peer}. */
  public static ManagedConnection connect(ConnectionManager cm, PeerId peer, int i, Closer closer) {
    ManagedConnection c = cm.connectionOpened(peer, direction(i), address(i), closer);
    for (int s = 0; s < streams(i); s++) {
      c.openStream(PROTOCOL, s % 2 == 0 ? Direction.OUTBOUND : Direction.INBOUND);
    }
    return c;
  }
}
