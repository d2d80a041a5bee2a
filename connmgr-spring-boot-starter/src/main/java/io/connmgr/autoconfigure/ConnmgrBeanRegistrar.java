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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Keeps the manager's registrations in step with the beans: every singleton {@link PeerScorer},
 * {@link ConnectionScorer}, {@link StreamScorer}, {@link CloseVeto} and {@link
 * ConnectionManagerListener} is registered under its bean name, and unregistered when the bean is
 * destroyed.
 *
 * <p>Beans created while the context starts are registered once every singleton exists (so the
 * manager is never created early); beans created later (lazy ones) are registered at once. Beans
 * of a child context (one without a manager of its own) are registered when it is refreshed and
 * unregistered when it closes: their events reach this parent's listeners.
 */
public final class ConnmgrBeanRegistrar implements DestructionAwareBeanPostProcessor,
    SmartInitializingSingleton, ApplicationListener<ApplicationContextEvent>, BeanFactoryAware,
    ApplicationContextAware {

  private static final Log LOG = LogFactory.getLog(ConnmgrBeanRegistrar.class);

  private static final List<Class<?>> TYPES = List.of(PeerScorer.class, ConnectionScorer.class,
      StreamScorer.class, CloseVeto.class, ConnectionManagerListener.class);

  private final Object monitor = new Object();
  private final Map<String, Object> pending = new LinkedHashMap<>();
  private final Map<String, List<Registration>> registered = new LinkedHashMap<>();
  private final Map<ApplicationContext, List<Registration>> children = new IdentityHashMap<>();
  private @Nullable ConfigurableListableBeanFactory beanFactory;
  private @Nullable ApplicationContext context;
  private @Nullable ConnectionManager manager;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
    if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
      this.beanFactory = listable;
    }
  }

  @Override
  public void setApplicationContext(ApplicationContext applicationContext) {
    this.context = applicationContext;
  }

  /** Whether {@code bean} is of a type this registrar registers. */
  static boolean isManaged(Object bean) {
    for (Class<?> type : TYPES) {
      if (type.isInstance(bean)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!isManaged(bean) || !isSingleton(beanName)) {
      return bean;
    }
    synchronized (monitor) {
      ConnectionManager cm = manager;
      if (cm == null) {
        pending.put(beanName, bean);
      } else {
        registered.put(beanName, register(cm, beanName, bean, true));
      }
    }
    return bean;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ConfigurableListableBeanFactory factory = beanFactory;
    if (factory == null) {
      return;
    }
    ConnectionManager cm = factory.getBeanProvider(ConnectionManager.class).getIfUnique();
    if (cm == null) {
      LOG.warn("connmgr found no unique ConnectionManager bean; scorer, veto and listener beans "
          + "are not registered");
      return;
    }
    synchronized (monitor) {
      manager = cm;
      pending.forEach((name, bean) -> registered.put(name, register(cm, name, bean, true)));
      pending.clear();
    }
  }

  @Override
  public boolean requiresDestruction(Object bean) {
    return isManaged(bean);
  }

  @Override
  public void postProcessBeforeDestruction(Object bean, String beanName) {
    List<Registration> registrations;
    synchronized (monitor) {
      pending.remove(beanName);
      registrations = registered.remove(beanName);
    }
    if (registrations != null) {
      registrations.forEach(Registration::close);
    }
  }

  @Override
  public void onApplicationEvent(ApplicationContextEvent event) {
    ApplicationContext child = event.getApplicationContext();
    if (child == context || !isDescendant(child)) {
      return;
    }
    if (event instanceof ContextRefreshedEvent) {
      unregisterChild(child);
      registerChild(child);
    } else if (event instanceof ContextClosedEvent) {
      unregisterChild(child);
    }
  }

  private void registerChild(ApplicationContext child) {
    ConnectionManager cm;
    synchronized (monitor) {
      cm = manager;
    }
    if (cm == null || hasOwn(child, ConnectionManager.class)
        || hasOwn(child, ConnmgrBeanRegistrar.class)) {
      return;
    }
    Map<String, Object> beans = new LinkedHashMap<>();
    for (Class<?> type : TYPES) {
      beans.putAll(child.getBeansOfType(type, false, true));
    }
    List<Registration> all = new ArrayList<>();
    beans.forEach((name, bean) -> {
      try {
        all.addAll(register(cm, name, bean, false));
      } catch (RuntimeException e) {
        LOG.warn("connmgr could not register bean '" + name + "' of child context "
            + child.getId() + ": " + e.getMessage());
      }
    });
    synchronized (monitor) {
      children.put(child, all);
    }
  }

  private void unregisterChild(ApplicationContext child) {
    List<Registration> registrations;
    synchronized (monitor) {
      registrations = children.remove(child);
    }
    if (registrations != null) {
      registrations.forEach(Registration::close);
    }
  }

  /** Whether the child defines a bean of {@code type} itself (not inherited). */
  private static boolean hasOwn(ApplicationContext child, Class<?> type) {
    return child.getBeanNamesForType(type, false, false).length > 0;
  }

  private boolean isDescendant(ApplicationContext candidate) {
    for (ApplicationContext c = candidate.getParent(); c != null; c = c.getParent()) {
      if (c == context) {
        return true;
      }
    }
    return false;
  }

  private boolean isSingleton(String beanName) {
    ConfigurableListableBeanFactory factory = beanFactory;
    if (factory == null || !factory.containsBeanDefinition(beanName)) {
      return true;
    }
    return factory.getBeanDefinition(beanName).isSingleton();
  }

  private static List<Registration> register(ConnectionManager cm, String name, Object bean,
      boolean failFast) {
    List<Registration> registrations = new ArrayList<>(1);
    try {
      if (bean instanceof PeerScorer scorer) {
        registrations.add(cm.registerPeerScorer(name, scorer));
      }
      if (bean instanceof ConnectionScorer scorer) {
        registrations.add(cm.registerConnectionScorer(name, scorer));
      }
      if (bean instanceof StreamScorer scorer) {
        registrations.add(cm.registerStreamScorer(name, scorer));
      }
      if (bean instanceof CloseVeto veto) {
        registrations.add(cm.registerVeto(name, veto));
      }
      if (bean instanceof ConnectionManagerListener listener) {
        registrations.add(cm.addListener(listener));
      }
    } catch (RuntimeException e) {
      registrations.forEach(Registration::close);
      if (failFast) {
        throw new IllegalStateException("connmgr cannot register bean '" + name + "': "
            + e.getMessage(), e);
      }
      throw e;
    }
    return registrations;
  }
}
