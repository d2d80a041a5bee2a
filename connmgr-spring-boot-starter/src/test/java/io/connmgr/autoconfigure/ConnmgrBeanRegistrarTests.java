package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionScorer;
import io.connmgr.ConnectionView;
import io.connmgr.PeerScorer;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.StreamScorer;
import io.connmgr.Verdict;
import io.connmgr.inspect.VetoInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;

class ConnmgrBeanRegistrarTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class));

  @Test
  void everyScorerVetoAndListenerBeanIsRegisteredUnderItsBeanName() {
    runner.withUserConfiguration(AllKinds.class).run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name, ScorerInfo::kind)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("latencyScorer", ScorerInfo.Kind.PEER),
              org.assertj.core.groups.Tuple.tuple("relayScorer", ScorerInfo.Kind.CONNECTION),
              org.assertj.core.groups.Tuple.tuple("bitswapScorer", ScorerInfo.Kind.STREAM));
      assertThat(cm.inspect().vetoes()).extracting(VetoInfo::name).containsExactly("kadBuckets");
      new Connections(cm).open("listened");
      await().atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(context.getBean(RecordingListener.class).opened)
          .containsExactly("listened"));
    });
  }

  @Test
  void aLazyBeanIsRegisteredWhenItIsCreated() {
    runner.withUserConfiguration(LazyScorer.class).run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      assertThat(cm.inspect().scorers()).isEmpty();
      context.getBean("lateScorer");
      assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name).containsExactly("lateScorer");
    });
  }

  @Test
  void aPrototypeBeanIsNotRegistered() {
    runner.withUserConfiguration(PrototypeScorer.class).run(context -> {
      context.getBean("perUse");
      context.getBean("perUse");
      assertThat(context.getBean(ConnectionManager.class).inspect().scorers()).isEmpty();
    });
  }

  @Test
  void aDestroyedBeanIsUnregistered() {
    runner.withUserConfiguration(AllKinds.class).run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      DefaultListableBeanFactory factory =
          (DefaultListableBeanFactory) context.getSourceApplicationContext()
              .getAutowireCapableBeanFactory();
      factory.destroySingleton("latencyScorer");
      factory.destroySingleton("kadBuckets");
      assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name)
          .containsExactlyInAnyOrder("relayScorer", "bitswapScorer");
      assertThat(cm.inspect().vetoes()).isEmpty();
    });
  }

  @Test
  void beansOfARefreshedChildContextComeAndGoWithIt() {
    runner.run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext();
      child.setParent(context.getSourceApplicationContext());
      child.register(ChildScorers.class);
      child.refresh();
      assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name).containsExactly("childScorer");
      assertThat(cm.inspect().vetoes()).extracting(VetoInfo::name).containsExactly("childVeto");
      child.close();
      assertThat(cm.inspect().scorers()).isEmpty();
      assertThat(cm.inspect().vetoes()).isEmpty();
    });
  }

  @Test
  void aChildContextWithItsOwnManagerKeepsItsBeans() {
    runner.run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      try (AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
        child.setParent(context.getSourceApplicationContext());
        child.register(ChildScorers.class, ChildManager.class);
        child.refresh();
        assertThat(cm.inspect().scorers()).isEmpty();
      }
    });
  }

  @Test
  void aChildRunningTheAutoConfigurationRegistersItsBeansOnceWithTheParentsManager() {
    runner.run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      new ApplicationContextRunner()
          .withParent(context.getSourceApplicationContext())
          .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
          .withUserConfiguration(ChildScorers.class)
          .run(child -> {
            assertThat(child.getBeanNamesForType(ConnectionManager.class)).as("own managers")
                .isEmpty();
            assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name).containsExactly("childScorer");
          });
      assertThat(cm.inspect().scorers()).isEmpty();
    });
  }

  @Test
  void aChildScorerNamedLikeAParentScorerIsSkippedWithoutFailingTheChild() {
    runner.withBean("childScorer", PeerScorer.class, () -> peer -> 1).run(context -> {
      ConnectionManager cm = context.getBean(ConnectionManager.class);
      try (AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
        child.setParent(context.getSourceApplicationContext());
        child.register(ChildScorers.class);
        child.refresh();
        assertThat(child.isActive()).isTrue();
        assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name).containsExactly("childScorer");
        assertThat(cm.inspect().vetoes()).extracting(VetoInfo::name).containsExactly("childVeto");
      }
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class AllKinds {

    @Bean
    PeerScorer latencyScorer() {
      return peer -> 10;
    }

    @Bean
    ConnectionScorer relayScorer() {
      return connection -> 20;
    }

    @Bean
    StreamScorer bitswapScorer() {
      return StreamScorer.of("/ipfs/bitswap/1.2.0", stream -> 30);
    }

    @Bean
    CloseVeto kadBuckets() {
      return (candidate, round) -> Verdict.allow();
    }

    @Bean
    RecordingListener recordingListener() {
      return new RecordingListener();
    }
  }

  static class RecordingListener implements ConnectionManagerListener {
    final List<String> opened = new CopyOnWriteArrayList<>();

    @Override
    public void onConnectionOpened(ConnectionView connection) {
      opened.add(connection.peer().value());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LazyScorer {

    @Bean
    @Lazy
    PeerScorer lateScorer() {
      return peer -> 1;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrototypeScorer {

    @Bean
    @Scope(BeanDefinition.SCOPE_PROTOTYPE)
    PeerScorer perUse() {
      return peer -> 1;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ChildScorers {

    @Bean
    PeerScorer childScorer() {
      return peer -> 5;
    }

    @Bean
    CloseVeto childVeto() {
      return (candidate, round) -> Verdict.veto("child says no");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ChildManager {

    @Bean(destroyMethod = "close")
    ConnectionManager childManager() {
      return ConnectionManager.builder().maintenanceInterval(java.time.Duration.ZERO).build();
    }
  }
}
