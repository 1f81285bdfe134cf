package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A resident server's commands with stand-in jobs: relays, failures, busy, a client leaving. */
class ResidentServerTest {
  @RegisterExtension final TestResidents r = new TestResidents();

  @Test
  void aJobsOutputStatusAndSystemStreamsReachTheClientInOrder() throws Exception {
    PrintStream systemOut = System.out;
    r.start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          out.println("out " + String.join(",", args));
          err.println("err é");
          System.out.println("system out");
          System.err.print("system err");
          System.err.flush();
          out.print("x".repeat(3 * ResidentProtocol.MAX_PAYLOAD / 2));
          out.flush();
          return 3;
        },
        () -> {});
    TestResidents.Relayed got = r.send("encode", "a b", "c");
    assertEquals(3, got.status());
    assertTrue(
        got.out().startsWith("out encode,a b,c\nsystem out\nxxx"), got.out().substring(0, 40));
    assertEquals(17 + 11 + 3 * ResidentProtocol.MAX_PAYLOAD / 2, got.out().length());
    assertEquals("err é\nsystem err", got.err());
    assertSame(systemOut, System.out, "the JVM's own streams are back after the job");
  }

  @Test
  void aFailingJobAnswersStatusOneWithTheErrorAndTheNextJobRuns() throws Exception {
    int[] calls = {0};
    r.start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          if (calls[0]++ == 0) {
            throw new IllegalStateException("broken");
          }
          out.println("fine");
          return 0;
        },
        () -> {});
    TestResidents.Relayed failed = r.send("encode");
    assertEquals(1, failed.status());
    assertTrue(failed.err().contains("IllegalStateException: broken"), failed.err());
    assertEquals(new TestResidents.Relayed(0, "fine\n", ""), r.send("encode"));
  }

  @Test
  void aCommandItDoesNotRunAndOneThatComesWhileAnotherRunsAreLeftToTheClient() throws Exception {
    TestResidents.HeldJob held = new TestResidents.HeldJob("");
    r.start(Duration.ofMinutes(1), held, () -> {});
    assertEquals(ResidentClient.RUN_HERE, r.send("serve").status());
    Thread first = new Thread(() -> TestResidents.assertDoesNotFail(() -> r.send("encode")));
    first.start();
    held.awaitRunning();
    assertEquals(
        ResidentClient.RUN_HERE,
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> r.send("encode").status()),
        "busy: answered at once, and the client runs it");
    held.release.countDown();
    first.join(10_000);
    assertEquals(0, r.send("encode").status(), "free again");
  }

  @Test
  void aClientThatLeavesDuringItsJobEndsTheResidentJvm() throws Exception {
    TestResidents.HeldJob held = new TestResidents.HeldJob("");
    CountDownLatch left = new CountDownLatch(1);
    r.start(Duration.ofMinutes(1), held, left::countDown);
    SocketChannel ch = ResidentConnections.connect(r.socket());
    ResidentProtocol.writeRequest(
        ch, new ResidentProtocol.Request(ResidentProtocol.JOB, "/", List.of("encode")));
    held.awaitRunning();
    ch.close();
    assertTrue(left.await(10, TimeUnit.SECONDS), "the interrupt reached the resident JVM");
    held.release.countDown();
  }

  @Test
  void aCommandSentAsSoonAsTheLastOneEndedIsNotBusy() throws Exception {
    r.start(Duration.ofMinutes(1), (out, err, args) -> 0, () -> {});
    for (int i = 0; i < 200; i++) {
      assertEquals(0, r.send("encode").status(), "command " + i);
    }
  }
}
