package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.BalancePolicy;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;

/** Order is restored whatever order workers finish in (random per-item delays, several workers). */
class OrderPropertiesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterContainer
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Property(tries = 25)
  void resultsComeBackInInputOrder(
      @ForAll @IntRange(min = 1, max = 4) int workers,
      @ForAll @IntRange(min = 1, max = 24) int items,
      @ForAll("policies") BalancePolicy policy,
      @ForAll long seed) {
    Faults faults = new Faults(3_000);
    ActorRef<Supervisor.Command> sup = KIT.spawn(
        Supervisor.create(Harness.settings(workers, policy), faults.factory()));
    Random rnd = new Random(seed);
    List<PixelInput> inputs = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      inputs.add(Inputs.patches(rnd, 2 * (1 + rnd.nextInt(5)), 2 * (1 + rnd.nextInt(5)), 3));
    }
    Harness.assertDirect(inputs, FeatureSpec.defaults(),
        Harness.submit(KIT, sup, inputs, FeatureSpec.defaults()));
    KIT.stop(sup);
  }

  @Provide
  Arbitrary<BalancePolicy> policies() {
    return Arbitraries.of(BalancePolicy.class);
  }
}
