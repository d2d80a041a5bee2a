package io.connmgr.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The overview's chart as SVG coordinates: the sampled connection count as a polyline against the
 * low and high watermarks, drawn server-side so it refreshes with the rest of the fragment. The
 * watermark labels sit in a margin right of the plot, where the line never goes, and at least one
 * text line apart.
 */
final class Chart {

  static final int WIDTH = 720;
  static final int HEIGHT = 200;
  static final int LEFT = 48;
  static final int RIGHT = 76;

  /** The height of one line of label text, in SVG units. */
  static final int TEXT_LINE = 12;

  static final int TOP = 8;
  static final int BOTTOM = 22;

  private final String points;
  private final int lowY;
  private final int highY;
  private final int max;
  private final int samples;
  private final String from;
  private final String to;
  private final int last;
  private final int highLabelY;
  private final int lowLabelY;

  Chart(
      List<ConsoleRecorder.Sample> series,
      Duration window,
      Instant now,
      int lowWater,
      int highWater) {
    int top = highWater;
    for (ConsoleRecorder.Sample s : series) {
      top = Math.max(top, Math.max(s.connections(), s.highWater()));
    }
    this.max = niceCeiling((int) Math.ceil(top * 1.1));
    Instant start = now.minus(window);
    StringBuilder b = new StringBuilder();
    for (ConsoleRecorder.Sample s : series) {
      if (s.at().isBefore(start)) {
        continue;
      }
      double x = x(Duration.between(start, s.at()).toMillis() / (double) window.toMillis());
      b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(s.connections())));
    }
    this.points = b.toString().trim();
    this.samples = series.size();
    this.lowY = (int) Math.round(y(lowWater));
    this.highY = (int) Math.round(y(highWater));
    this.highLabelY = highY + TEXT_LINE / 3; // the text's middle on the line
    this.lowLabelY = Math.max(lowY + TEXT_LINE / 3, highLabelY + TEXT_LINE);
    this.from = Format.instant(start).substring(11, 16);
    this.to = Format.instant(now).substring(11, 16);
    this.last = series.isEmpty() ? 0 : series.get(series.size() - 1).connections();
  }

  private static int niceCeiling(int v) {
    if (v <= 10) {
      return 10;
    }
    int magnitude = (int) Math.pow(10, Math.floor(Math.log10(v)));
    int step = magnitude / 2 == 0 ? 1 : magnitude / 2;
    return (v + step - 1) / step * step;
  }

  private static double x(double fraction) {
    return LEFT + fraction * (WIDTH - LEFT - RIGHT);
  }

  private double y(int value) {
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - Math.min(1.0, value / (double) max));
  }

  public String getPoints() {
    return points;
  }

  public int getLowY() {
    return lowY;
  }

  public int getHighY() {
    return highY;
  }

  public int getMax() {
    return max;
  }

  public int getSamples() {
    return samples;
  }

  public String getFrom() {
    return from;
  }

  public String getTo() {
    return to;
  }

  public int getLast() {
    return last;
  }

  public int getWidth() {
    return WIDTH;
  }

  public int getHeight() {
    return HEIGHT;
  }

  public int getLeft() {
    return LEFT;
  }

  public int getRight() {
    return WIDTH - RIGHT;
  }

  /** Where the watermark labels start: right of the plot's last point. */
  public int getLabelX() {
    return WIDTH - RIGHT + 4;
  }

  public int getHighLabelY() {
    return highLabelY;
  }

  public int getLowLabelY() {
    return lowLabelY;
  }

  public int getBaseline() {
    return HEIGHT - BOTTOM;
  }

  public int getTop() {
    return TOP;
  }
}
