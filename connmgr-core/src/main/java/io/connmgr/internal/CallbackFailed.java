package io.connmgr.internal;

/**
 * What a user callback threw, whatever its type, carried through the manager's own code to the
 * place that decides what the failure means (a veto that throws counts as allow, a decay function
 * that throws leaves its values). A callback may throw anything: an unchecked exception, a checked
 * one its language never declared (Kotlin, Scala, Lombok's {@code @SneakyThrows}), or any {@link
 * Error} ({@code OutOfMemoryError} under the very heap pressure an emergency round answers,
 * Kotlin's {@code NotImplementedError}). All of them count as the callback's failure; none may end
 * a round, stall a callback thread or leave a connection half closed.
 */
final class CallbackFailed extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CallbackFailed(Throwable thrown) {
    super(thrown.toString(), thrown, false, false);
  }
}
