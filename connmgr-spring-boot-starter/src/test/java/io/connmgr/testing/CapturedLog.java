package io.connmgr.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one logger logs, at every level, while open; the logger's level is restored on close. */
public final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final Level levelBefore;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog(Class<?> loggingClass) {
    this.logger = (Logger) LoggerFactory.getLogger(loggingClass);
    this.levelBefore = logger.getLevel();
    logger.setLevel(Level.ALL);
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts capturing what the logger named by {@code loggingClass} logs. */
  public static CapturedLog of(Class<?> loggingClass) {
    return new CapturedLog(loggingClass);
  }

  /** The events logged so far, oldest first. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(levelBefore);
  }
}
