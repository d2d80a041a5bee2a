package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionScorer;
import io.connmgr.ConnectionView;
import io.connmgr.PeerScorer;
import io.connmgr.Registration;
import io.connmgr.StreamScorer;
import io.connmgr.Verdict;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.inspect.VetoInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.Order;

class CallbackBeansTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class));

  @Test
  void everyScorerVetoAndListenerBeanIsRegisteredUnderItsBeanName() {
    runner
        .withUserConfiguration(AllKinds.class)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.inspect().scorers())
                  .extracting(ScorerInfo::name, ScorerInfo::kind)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("latencyScorer", ScorerInfo.Kind.PEER),
                      org.assertj.core.groups.Tuple.tuple(
                          "relayScorer", ScorerInfo.Kind.CONNECTION),
                      org.assertj.core.groups.Tuple.tuple("bitswapScorer", ScorerInfo.Kind.STREAM));
              assertThat(cm.inspect().vetoes())
                  .extracting(VetoInfo::name)
                  .containsExactly("kadBuckets");
              new Connections(cm).open("listened");
              await()
                  .atMost(java.time.Duration.ofSeconds(30))
                  .untilAsserted(
                      () ->
                          assertThat(context.getBean(RecordingListener.class).opened)
                              .containsExactly("listened"));
            });
  }

  @Test
  void aLazyBeanIsCreatedAndRegisteredAtStartUp() {
    runner
        .withUserConfiguration(LazyScorer.class)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).inspect().scorers())
                    .extracting(ScorerInfo::name)
                    .containsExactly("lateScorer"));
  }

  @Test
  void aPrototypeBeanIsNotRegistered() {
    runner
        .withUserConfiguration(PrototypeScorer.class)
        .run(
            context -> {
              context.getBean("perUse");
              assertThat(context.getBean(ConnectionManager.class).inspect().scorers()).isEmpty();
            });
  }

  @Test
  void vetoesAreRegisteredAndSoAskedInTheirOrder() {
    runner
        .withUserConfiguration(OrderedVetoes.class)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).inspect().vetoes())
                    .extracting(VetoInfo::name)
                    .containsExactly("first", "second", "third"));
  }

  @Test
  void aBeanAddedAfterStartUpIsNotDiscoveredAndRegistersThroughTheApi() {
    runner.run(
        context -> {
          ConnectionManager cm = context.getBean(ConnectionManager.class);
          context
              .getSourceApplicationContext()
              .getBeanFactory()
              .registerSingleton("late", (PeerScorer) peer -> 1);
          assertThat(cm.inspect().scorers()).as("not discovered").isEmpty();

          Registration registration =
              cm.registerPeerScorer("late", context.getBean("late", PeerScorer.class));
          assertThat(cm.inspect().scorers()).extracting(ScorerInfo::name).containsExactly("late");
          registration.close();
          assertThat(cm.inspect().scorers()).isEmpty();
        });
  }

  @Test
  void aChildContextWithoutTheAutoConfigurationRegistersNothing() {
    runner.run(
        context -> {
          ConnectionManager cm = context.getBean(ConnectionManager.class);
          try (AnnotationConfigApplicationContext child =
              new AnnotationConfigApplicationContext()) {
            child.setParent(context.getSourceApplicationContext());
            child.register(ChildScorers.class);
            child.refresh();
            assertThat(cm.inspect().scorers()).isEmpty();
            assertThat(cm.inspect().vetoes()).isEmpty();
          }
        });
  }

  @Test
  void aChildRunningTheAutoConfigurationRegistersItsBeansWithTheParentsManagerUntilItCloses() {
    runner
        .withUserConfiguration(AllKinds.class)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              new ApplicationContextRunner()
                  .withParent(context.getSourceApplicationContext())
                  .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
                  .withUserConfiguration(ChildScorers.class)
                  .run(
                      child -> {
                        assertThat(child).hasNotFailed();
                        assertThat(child.getBeanNamesForType(ConnectionManager.class))
                            .as("own managers")
                            .isEmpty();
                        assertThat(cm.inspect().scorers())
                            .extracting(ScorerInfo::name)
                            .containsExactlyInAnyOrder(
                                "latencyScorer", "relayScorer", "bitswapScorer", "childScorer");
                        assertThat(cm.inspect().vetoes())
                            .extracting(VetoInfo::name)
                            .containsExactly("kadBuckets", "childVeto");
                      });
              assertThat(cm.inspect().scorers())
                  .extracting(ScorerInfo::name)
                  .containsExactlyInAnyOrder("latencyScorer", "relayScorer", "bitswapScorer");
              assertThat(cm.inspect().vetoes())
                  .extracting(VetoInfo::name)
                  .containsExactly("kadBuckets");
            });
  }

  @Test
  void aChildWithItsOwnManagerRegistersItsBeansWithIt() {
    runner.run(
        context -> {
          ConnectionManager cm = context.getBean(ConnectionManager.class);
          new ApplicationContextRunner()
              .withParent(context.getSourceApplicationContext())
              .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
              .withUserConfiguration(ChildScorers.class, ChildManager.class)
              .run(
                  child -> {
                    assertThat(
                            child
                                .getBean("childManager", ConnectionManager.class)
                                .inspect()
                                .scorers())
                        .extracting(ScorerInfo::name)
                        .containsExactly("childScorer");
                    assertThat(cm.inspect().scorers()).isEmpty();
                  });
        });
  }

  @Test
  void aChildScorerNamedLikeARegisteredOneFailsTheChildNamingIt() {
    runner
        .withBean("childScorer", PeerScorer.class, () -> peer -> 1)
        .run(
            context ->
                new ApplicationContextRunner()
                    .withParent(context.getSourceApplicationContext())
                    .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
                    .withUserConfiguration(ChildScorers.class)
                    .run(
                        child ->
                            assertThat(child)
                                .getFailure()
                                .hasMessageContaining(
                                    "connmgr cannot register bean 'childScorer'")));
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
  static class OrderedVetoes {

    @Bean
    @Order(3)
    CloseVeto third() {
      return (candidate, round) -> Verdict.allow();
    }

    @Bean
    @Order(1)
    CloseVeto first() {
      return (candidate, round) -> Verdict.allow();
    }

    @Bean
    @Order(2)
    CloseVeto second() {
      return (candidate, round) -> Verdict.allow();
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
