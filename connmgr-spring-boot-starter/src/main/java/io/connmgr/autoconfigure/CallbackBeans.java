package io.connmgr.autoconfigure;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionScorer;
import io.connmgr.PeerScorer;
import io.connmgr.Registration;
import io.connmgr.StreamScorer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Registers the context's singleton {@link PeerScorer}, {@link ConnectionScorer}, {@link
 * StreamScorer}, {@link CloseVeto} and {@link ConnectionManagerListener} beans with its manager,
 * each under its bean name, in {@link ObjectProvider#orderedStream()} order (vetoes are asked in
 * that order), once every singleton exists, so the manager is never created early and lazy beans
 * are created then; closes the registrations when the context closes.
 *
 * <p>Only beans defined in this context are registered: a child context that runs the
 * auto-configuration registers its own beans (with its own manager, or else its parent's) and
 * unregisters them when it closes. A bean that appears after start-up is not discovered; register
 * it through {@link ConnectionManager#registerPeerScorer} and the like, which return a {@link
 * Registration} to close.
 */
public final class CallbackBeans implements SmartInitializingSingleton, DisposableBean {

  private static final Log LOG = LogFactory.getLog(CallbackBeans.class);

  private final ConfigurableListableBeanFactory beanFactory;
  private final ObjectProvider<ConnectionManager> manager;
  private final List<Registration> registrations = new ArrayList<>();

  CallbackBeans(
      ConfigurableListableBeanFactory beanFactory, ObjectProvider<ConnectionManager> manager) {
    this.beanFactory = beanFactory;
    this.manager = manager;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ConnectionManager cm = manager();
    if (cm == null) {
      LOG.warn(
          "connmgr found no unique ConnectionManager bean; scorer, veto and listener beans "
              + "are not registered");
      return;
    }
    register(PeerScorer.class, cm::registerPeerScorer);
    register(ConnectionScorer.class, cm::registerConnectionScorer);
    register(StreamScorer.class, cm::registerStreamScorer);
    register(CloseVeto.class, cm::registerVeto);
    register(ConnectionManagerListener.class, (name, listener) -> cm.addListener(listener));
  }

  /** The context's own manager if it has exactly one, else the one it inherits, if unique. */
  private @Nullable ConnectionManager manager() {
    String[] own = beanFactory.getBeanNamesForType(ConnectionManager.class);
    return own.length == 1
        ? beanFactory.getBean(own[0], ConnectionManager.class)
        : manager.getIfUnique();
  }

  private <T> void register(Class<T> type, BiFunction<String, T, Registration> registrar) {
    Map<T, String> names = new IdentityHashMap<>();
    beanFactory.getBeansOfType(type, false, true).forEach((name, bean) -> names.put(bean, name));
    beanFactory
        .getBeanProvider(type)
        .orderedStream(any -> true, false)
        .forEach(
            bean -> {
              String name = names.get(bean);
              if (name == null) {
                return; // a parent context's bean
              }
              try {
                registrations.add(registrar.apply(name, bean));
              } catch (RuntimeException e) {
                throw new IllegalStateException(
                    "connmgr cannot register bean '"
                        + name
                        + "' as a "
                        + type.getSimpleName()
                        + ": "
                        + e.getMessage(),
                    e);
              }
            });
  }

  @Override
  public void destroy() {
    registrations.forEach(Registration::close);
    registrations.clear();
  }
}
