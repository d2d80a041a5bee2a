/**
 * connmgr's core: the {@link io.connmgr.ConnectionManager} and its API. Only {@code io.connmgr} and
 * {@code io.connmgr.inspect} (what the manager lets you read) are exported; {@code
 * io.connmgr.internal} is the implementation and not API (docs/build.md).
 */
module io.connmgr {
  requires static org.jspecify;
  requires java.management;

  exports io.connmgr;
  exports io.connmgr.inspect;
}
