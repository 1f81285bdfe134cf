package dev.vitrail.runtime.cluster;

import dev.vitrail.encoders.api.FeatureOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Two client threads sending 1- and 3-image requests through {@link Traffic} until stopped. */
final class ClientStream {
  private final Traffic traffic;
  private final List<byte[]> images;
  private final List<FeatureOutput> expected;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  ClientStream(Traffic traffic, List<byte[]> images, List<FeatureOutput> expected) {
    this.traffic = traffic;
    this.images = images;
    this.expected = expected;
  }

  ClientStream start() {
    for (int t = 0; t < 2; t++) {
      int n = t == 0 ? 1 : 3;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; running.get(); i++) {
                  List<byte[]> in = new ArrayList<>();
                  List<FeatureOutput> want = new ArrayList<>();
                  for (int k = 0; k < n; k++) {
                    in.add(images.get((i + k) % images.size()));
                    want.add(expected.get((i + k) % images.size()));
                  }
                  traffic.request(in, want);
                }
              },
              "cluster-test-client-" + t);
      th.start();
      threads.add(th);
    }
    return this;
  }

  /** Stops and waits (bounded) for the threads' last requests. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(90));
    }
  }
}
