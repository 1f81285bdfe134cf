package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.supervisor.Supervisor;
import dev.vitrail.actors.supervisor.SupervisorSettings;
import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A supervisor node with one local worker and a worker node with two, joined over loopback: the
 * remote workers share the work (their messages really cross nodes, so through jackson-cbor), and
 * when the worker node is lost mid-stream its items are re-dispatched and every request is still
 * answered once, correctly.
 */
@ExtendWith(LogCapturingExtension.class)
class RemoteWorkersTest {
  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final FeatureSpec SPEC = new FeatureSpec(List.of(-3), null, true, false);
  private final List<ActorTestKit> nodes = new ArrayList<>();

  @AfterEach
  void shutDown() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  private static WorkerSettings worker() {
    return new WorkerSettings(
        4, Duration.ZERO, Duration.ofSeconds(20), Duration.ofMillis(20), Duration.ofMillis(200));
  }

  /** Starts both nodes and a supervisor that has seen both remote workers do work. */
  private ActorRef<Supervisor.Command> startCluster(Faults remoteFaults) {
    return startCluster(remoteFaults, BalanceMode.LPT);
  }

  private ActorRef<Supervisor.Command> startCluster(Faults remoteFaults, BalanceMode policy) {
    ActorTestKit supervisorNode = ClusterNodes.start();
    nodes.add(supervisorNode);
    ActorTestKit workerNode = ClusterNodes.start();
    nodes.add(workerNode);
    ClusterNodes.join(supervisorNode, workerNode);
    workerNode.spawn(WorkerNode.create(2, remoteFaults.factory(), worker()), "worker-node");
    ActorRef<Supervisor.Command> sup =
        supervisorNode.spawn(
            Supervisor.createWithRemoteWorkers(
                SupervisorSettings.of(1, policy, worker()), new Faults().factory(), 1.0),
            "supervisor");
    Random rnd = new Random(11);
    ClusterNodes.awaitTrue(
        Duration.ofSeconds(20),
        "the supervisor using both remote workers",
        () -> {
          List<PixelInput> inputs =
              List.of(
                  Inputs.patches(rnd, 4, 4, 3),
                  Inputs.patches(rnd, 4, 4, 3),
                  Inputs.patches(rnd, 4, 4, 3));
          assertDirect(inputs, submit(supervisorNode, sup, inputs).receiveMessage(ANSWER));
          long[] done = stats(supervisorNode, sup).completedPerWorker();
          return done.length == 3 && done[1] > 0 && done[2] > 0;
        });
    return sup;
  }

  @ParameterizedTest
  @EnumSource(BalanceMode.class)
  void remoteWorkersShareTheWork(BalanceMode policy) {
    Faults remote = new Faults();
    ActorRef<Supervisor.Command> sup = startCluster(remote, policy);
    ActorTestKit node = nodes.get(0);
    Random rnd = new Random(5);
    List<List<PixelInput>> requests = new ArrayList<>();
    List<TestProbe<RequestOutcome>> probes = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      List<PixelInput> inputs = new ArrayList<>();
      for (int i = 0; i < 1 + r % 6; i++) {
        inputs.add(
            r % 2 == 0 ? Inputs.patches(rnd, 2 + 2 * (i % 3), 4, 3) : Inputs.image(rnd, 4 + i));
      }
      requests.add(inputs);
      probes.add(submit(node, sup, inputs));
    }
    for (int r = 0; r < requests.size(); r++) {
      assertDirect(requests.get(r), probes.get(r).receiveMessage(ANSWER));
      probes.get(r).expectNoMessage(Duration.ofMillis(10));
    }
    SupervisorStats s = stats(node, sup);
    assertEquals(0, s.inFlightItems());
    assertTrue(
        s.completedPerWorker()[1] + s.completedPerWorker()[2] > 0, "remote workers encoded items");
    assertFalse(remote.calls().isEmpty(), "the worker node's towers ran");
    assertEquals(0, s.lostWorkerRedispatches());
  }

  @Test
  void imagesBeyondTheOrdinaryFrameCrossNodes() {
    ActorRef<Supervisor.Command> sup = startCluster(new Faults());
    ActorTestKit node = nodes.get(0);
    long[] before = stats(node, sup).completedPerWorker();
    Random rnd = new Random(4);
    // 3 x 320 x 320 floats: 1.2 MB per image, above Artery's 256 KiB ordinary frame.
    List<PixelInput> inputs =
        List.of(Inputs.image(rnd, 320), Inputs.image(rnd, 320), Inputs.image(rnd, 320));
    TestProbe<RequestOutcome> probe = submit(node, sup, inputs);
    assertDirect(inputs, probe.receiveMessage(ANSWER));
    long[] after = stats(node, sup).completedPerWorker();
    assertTrue(
        after[1] + after[2] > before[1] + before[2], "a remote worker encoded a large image");
  }

  @Test
  void remoteTowerFailureIsRetriedLikeALocalOne() {
    Faults remote = new Faults();
    ActorRef<Supervisor.Command> sup = startCluster(remote);
    ActorTestKit node = nodes.get(0);
    Random rnd = new Random(9);
    List<PixelInput> inputs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inputs.add(Inputs.marked(Inputs.patches(rnd, 4, 4, 3), Faults.CRASH_ONCE));
    }
    TestProbe<RequestOutcome> probe = submit(node, sup, inputs);
    assertDirect(inputs, probe.receiveMessage(ANSWER));
    probe.expectNoMessage(Duration.ofMillis(10));
    SupervisorStats s = stats(node, sup);
    // One item per worker; each node's fake towers crash once, so a remote crash was retried too.
    assertTrue(
        s.retries() >= 2, "the crashed local and remote batches were retried: " + s.retries());
    assertEquals(0, s.failedItems());
  }

  @Test
  void lostWorkerNodeItemsAreRedispatched() {
    // Remote items take up to 100 ms each: the worker node holds about a second of work (40 items
    // on 2 workers) when it is lost, far longer than its shutdown takes.
    ActorRef<Supervisor.Command> sup = startCluster(new Faults(100_000));
    ActorTestKit node = nodes.get(0);
    ActorTestKit workerNode = nodes.get(1);
    Random rnd = new Random(8);
    List<List<PixelInput>> requests = new ArrayList<>();
    List<TestProbe<RequestOutcome>> probes = new ArrayList<>();
    for (int r = 0; r < 10; r++) {
      List<PixelInput> inputs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        inputs.add(Inputs.patches(rnd, 4, 2 + 2 * (i % 2), 3));
      }
      requests.add(inputs);
      probes.add(submit(node, sup, inputs));
    }
    // The worker node is lost: downed by the supervisor's node (as a split-brain resolver would),
    // then its process goes away.
    Cluster.get(node.system())
        .manager()
        .tell(new Down(Cluster.get(workerNode.system()).selfMember().address()));
    workerNode.system().terminate();
    for (int r = 0; r < requests.size(); r++) {
      assertDirect(requests.get(r), probes.get(r).receiveMessage(ANSWER));
      probes.get(r).expectNoMessage(Duration.ofMillis(10));
    }
    SupervisorStats s = stats(node, sup);
    assertEquals(0, s.inFlightItems());
    assertEquals(0, s.failedItems());
    // Re-dispatched when the node left the listing, or copied earlier once it went silent.
    assertTrue(
        s.lostWorkerRedispatches() + s.hedgedItems() > 0,
        "the lost node's items were re-dispatched or hedged");
    // Still serving, on the local worker alone.
    List<PixelInput> after = List.of(Inputs.patches(rnd, 4, 4, 3), Inputs.image(rnd, 6));
    assertDirect(after, submit(node, sup, after).receiveMessage(ANSWER));
  }

  private static TestProbe<RequestOutcome> submit(
      ActorTestKit kit, ActorRef<Supervisor.Command> sup, List<PixelInput> inputs) {
    TestProbe<RequestOutcome> probe = kit.createTestProbe();
    sup.tell(new Supervisor.Submit(inputs, SPEC, 0, probe.getRef()));
    return probe;
  }

  private static SupervisorStats stats(ActorTestKit kit, ActorRef<Supervisor.Command> sup) {
    TestProbe<SupervisorStats> probe = kit.createTestProbe();
    sup.tell(new Supervisor.GetStats(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  private static void assertDirect(List<PixelInput> inputs, RequestOutcome outcome) {
    RequestOutcome.Completed done = assertInstanceOf(RequestOutcome.Completed.class, outcome);
    assertEquals(inputs.size(), done.items().size());
    for (int i = 0; i < inputs.size(); i++) {
      var want = FakeTower.compute(inputs.get(i), SPEC);
      var got = assertInstanceOf(ItemResult.Encoded.class, done.items().get(i), "item " + i);
      assertArrayEquals(want.shape(), got.output().shape(), "shape of item " + i);
      assertArrayEquals(want.values(), got.output().values(), "values of item " + i);
    }
  }
}
