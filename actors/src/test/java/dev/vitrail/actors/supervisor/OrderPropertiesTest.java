package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.random.Seeds;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Order is restored whatever order workers finish in (random per-item delays, several workers). */
class OrderPropertiesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  static LongStream seeds() {
    return Seeds.of(25);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void resultsComeBackInInputOrder(long seed) {
    Random rnd = new Random(seed);
    int workers = 1 + rnd.nextInt(4);
    int items = 1 + rnd.nextInt(24);
    BalanceMode policy = BalanceMode.values()[rnd.nextInt(BalanceMode.values().length)];
    Faults faults = new Faults(3_000);
    ActorRef<Supervisor.Command> sup =
        KIT.spawn(Supervisor.create(Harness.settings(workers, policy), faults.factory()));
    List<PixelInput> inputs = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      inputs.add(Inputs.patches(rnd, 2 * (1 + rnd.nextInt(5)), 2 * (1 + rnd.nextInt(5)), 3));
    }
    Harness.assertDirect(
        inputs, FeatureSpec.defaults(), Harness.submit(KIT, sup, inputs, FeatureSpec.defaults()));
    KIT.stop(sup);
  }
}
