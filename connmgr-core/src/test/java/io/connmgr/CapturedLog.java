package io.connmgr;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the manager logs (through {@code System.Logger}, which the JDK backs with
 * java.util.logging) instead of printing it, for tests that provoke warnings on purpose.
 */
final class CapturedLog extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.connmgr"); // held: JUL loggers are weak
  private final boolean parentHandlers = logger.getUseParentHandlers();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  CapturedLog() {
    logger.addHandler(this);
    logger.setUseParentHandlers(false);
  }

  /** The messages logged at WARNING or above, with their throwable's message if any. */
  List<String> warnings() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(r -> r.getMessage() + (r.getThrown() == null ? "" : " / " + r.getThrown()))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parentHandlers);
  }
}
