package dev.vitrail.bench.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The server's resident memory once a second during a phase, to see whether it stays flat. */
final class RssTimeline {
  private final List<Long> kib = new CopyOnWriteArrayList<>();
  private final Thread thread;

  RssTimeline(ServerProcess server) {
    thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                kib.add(server.rssKiB());
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rss-timeline");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }

  /** RSS at second {@code s} (the last sample if the phase was shorter), KiB. */
  long at(int s) {
    return kib.isEmpty() ? 0 : kib.get(Math.min(s, kib.size() - 1));
  }

  /** The highest RSS from second {@code s} on, KiB. */
  long maxFrom(int s) {
    return kib.stream()
        .skip(Math.min(s, Math.max(0, kib.size() - 1)))
        .mapToLong(Long::longValue)
        .max()
        .orElse(0);
  }
}
