package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.TrimReport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which kinds of event a listener hears: those whose methods it, or what it inherits, overrides.
 */
class ListenerEventTest {

  static class Evictions implements ConnectionManagerListener {
    @Override
    public void onEviction(EvictionRecord record) {}
  }

  static class EvictionsAndCloses extends Evictions {
    @Override
    public void onConnectionClosed(ConnectionView connection) {}
  }

  interface RoundListener extends ConnectionManagerListener {
    @Override
    default void onRound(TrimReport report) {}
  }

  static class Rounds implements RoundListener {}

  private static Set<ListenerEvent> heardBy(ConnectionManagerListener listener) {
    return Arrays.stream(ListenerEvent.values())
        .filter(kind -> kind.heardBy(listener))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ListenerEvent.class)));
  }

  @Test
  void aListenerHearsTheKindsItOverridesOrInheritsAnOverrideOf() {
    assertThat(heardBy(new ConnectionManagerListener() {})).isEmpty();
    assertThat(heardBy(new Evictions())).containsExactly(ListenerEvent.EVICTION);
    assertThat(heardBy(new EvictionsAndCloses()))
        .containsExactlyInAnyOrder(ListenerEvent.EVICTION, ListenerEvent.CONNECTION_CLOSED);
    assertThat(heardBy(new Rounds())).containsExactly(ListenerEvent.ROUND);
  }

  @Test
  void aProxyHearsEveryKind() {
    ConnectionManagerListener proxy =
        (ConnectionManagerListener)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ConnectionManagerListener.class},
                (p, method, args) -> null);
    assertThat(heardBy(proxy)).containsExactlyInAnyOrder(ListenerEvent.values());
  }

  /** A listener method without a kind could never be heard; a kind without a method, always. */
  @Test
  void theKindsAreExactlyTheListenersMethods() {
    Set<String> methods =
        Arrays.stream(ConnectionManagerListener.class.getDeclaredMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .map(Method::getName)
            .collect(Collectors.toSet());
    assertThat(ListenerEvent.values()).hasSameSizeAs(methods);
    ConnectionManagerListener overridesNothing = new ConnectionManagerListener() {};
    for (ListenerEvent kind : ListenerEvent.values()) {
      // a kind whose method is not found falls back to "heard" by every listener
      assertThat(kind.heardBy(overridesNothing)).as(kind + " names a listener method").isFalse();
    }
  }
}
