package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The manager's upkeep runs on Spring's task scheduler (Boot's {@code taskScheduler}, or one the
 * starter builds when scheduling is off), never on a thread of the manager's own; the context
 * closes the manager before it shuts the scheduler down.
 */
class TaskSchedulerUpkeepTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TaskSchedulingAutoConfiguration.class, ConnmgrAutoConfiguration.class))
          .withPropertyValues(
              "connmgr.low-water=1",
              "connmgr.high-water=2",
              "connmgr.grace-period=0s",
              "connmgr.silence-period=0s",
              "connmgr.maintenance-interval=20ms");

  @Test
  void withSchedulingEnabledUpkeepRunsOnBootsTaskScheduler() {
    runner
        .withUserConfiguration(SchedulingOn.class)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              ThreadPoolTaskScheduler boots =
                  context.getBean("taskScheduler", ThreadPoolTaskScheduler.class);
              assertThat(context.getBean(TaskSchedulerUpkeep.class).ownsItsScheduler()).isFalse();

              String manager = upkeepRunsARound(cm);

              assertThat(boots.getScheduledThreadPoolExecutor().getCompletedTaskCount())
                  .as("upkeep passes run on Boot's scheduler")
                  .isPositive();
              assertThat(threadNames()).doesNotContain(manager + "-upkeep");
            });
  }

  @Test
  void withoutSchedulingTheStarterBuildsASchedulerWithBootsBuilder() {
    Set<String> ranOn = ConcurrentHashMap.newKeySet();
    ThreadPoolTaskSchedulerCustomizer recordThreads =
        scheduler ->
            scheduler.setTaskDecorator(
                task ->
                    () -> {
                      ranOn.add(Thread.currentThread().getName());
                      task.run();
                    });
    runner
        .withBean(ThreadPoolTaskSchedulerCustomizer.class, () -> recordThreads)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(context).doesNotHaveBean("taskScheduler");
              assertThat(context.getBean(TaskSchedulerUpkeep.class).ownsItsScheduler()).isTrue();

              String manager = upkeepRunsARound(cm);

              assertThat(ranOn)
                  .as("upkeep passes, on the scheduler Boot's builder made")
                  .isNotEmpty()
                  .allMatch(n -> n.startsWith(TaskSchedulerUpkeep.OWN_THREAD_PREFIX));
              assertThat(threadNames()).doesNotContain(manager + "-upkeep");
            });
  }

  @Test
  void withoutBootsTaskSchedulingTheStarterBuildsASchedulerOfItsOwn() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
        .withPropertyValues(
            "connmgr.low-water=1",
            "connmgr.high-water=2",
            "connmgr.grace-period=0s",
            "connmgr.silence-period=0s",
            "connmgr.maintenance-interval=20ms")
        .run(
            context -> {
              assertThat(context.getBean(TaskSchedulerUpkeep.class).ownsItsScheduler()).isTrue();
              String manager = upkeepRunsARound(context.getBean(ConnectionManager.class));
              assertThat(threadNames()).doesNotContain(manager + "-upkeep");
            });
  }

  @Test
  void theContextClosesTheManagerBeforeItShutsTheSchedulerDown() {
    AtomicReference<@Nullable ConnectionManager> manager = new AtomicReference<>();
    List<String> events = new CopyOnWriteArrayList<>();
    runner
        .withBean(
            "taskScheduler",
            ThreadPoolTaskScheduler.class,
            () ->
                new ThreadPoolTaskScheduler() {
                  @Override
                  public void shutdown() {
                    ConnectionManager cm = manager.get();
                    events.add(
                        "scheduler shut down; manager closed: " + (cm != null && cm.isClosed()));
                    super.shutdown();
                  }
                })
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              manager.set(cm);
              upkeepRunsARound(cm);
            });
    assertThat(events).containsExactly("scheduler shut down; manager closed: true");
  }

  /** Opens three connections above high water 2 and waits for upkeep to trim them to one. */
  private static String upkeepRunsARound(ConnectionManager cm) {
    List<String> callbackThreads = new CopyOnWriteArrayList<>();
    cm.registerConnectionScorer(
        "probe",
        c -> {
          callbackThreads.add(Thread.currentThread().getName());
          return 1;
        });
    Connections connections = new Connections(cm);
    connections.open("a");
    connections.open("b");
    connections.open("c");
    await().atMost(Duration.ofSeconds(30)).until(() -> cm.connectionCount() == 1);
    assertThat(connections.closed())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK));
    String callbackThread = callbackThreads.get(0);
    return callbackThread.substring(0, callbackThread.indexOf("-callback-"));
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class SchedulingOn {}
}
