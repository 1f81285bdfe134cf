package dev.vitrail.runtime.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on standard error, so standard output keeps only results and summaries. */
final class ProgressBars {
  private ProgressBars() {}

  /** A bar for {@code total} items ({@code -1}: unknown total) showing the rate per second. */
  static ProgressBar open(String task, long total, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .showSpeed()
        .setUnit(" " + unit, 1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
        .build();
  }
}
