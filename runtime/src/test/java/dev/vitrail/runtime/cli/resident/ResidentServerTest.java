package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident JVM's socket side with stand-in jobs: relays, busy, leave, idle, stop, lock. */
class ResidentServerTest {
  @TempDir Path tmp;
  private Path dir;
  private final List<ResidentServer> servers = new ArrayList<>();
  private final List<Thread> serving = new ArrayList<>();

  @BeforeEach
  void privateFolder() throws IOException {
    dir =
        Files.createDirectory(
            tmp.resolve("resident"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  @AfterEach
  void stopServers() throws InterruptedException {
    servers.forEach(ResidentServer::close);
    for (Thread t : serving) {
      t.join(5_000);
    }
  }

  private Path socket() {
    return new ResidentPlace(dir).socket("k");
  }

  private ResidentServer start(Duration idle, ResidentServer.Job job, Runnable left)
      throws IOException {
    ResidentServer s =
        ResidentServer.open(socket(), idle, a -> a.get(0).equals("encode"), job, left);
    assertNotNull(s);
    servers.add(s);
    Thread t =
        new Thread(
            () -> {
              try {
                s.serve();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    serving.add(t);
    return s;
  }

  /** Output and status of one command through the socket, as the launcher's client gets them. */
  private record Relayed(int status, String out, String err) {}

  private Relayed send(String... args) throws IOException {
    try (SocketChannel ch = ResidentConnections.connect(socket())) {
      assertNotNull(ch, "nothing listens");
      ResidentProtocol.writeRequest(
          ch, new ResidentProtocol.Request(ResidentProtocol.JOB, "/somewhere", List.of(args)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = ResidentClient.relay(ch, out, err, dir.resolve("k.log"));
      return new Relayed(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aJobsOutputStatusAndSystemStreamsReachTheClientInOrder() throws Exception {
    PrintStream systemOut = System.out;
    start(
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
    Relayed r = send("encode", "a b", "c");
    assertEquals(3, r.status());
    assertTrue(r.out().startsWith("out encode,a b,c\nsystem out\nxxx"), r.out().substring(0, 40));
    assertEquals(17 + 11 + 3 * ResidentProtocol.MAX_PAYLOAD / 2, r.out().length());
    assertEquals("err é\nsystem err", r.err());
    assertSame(systemOut, System.out, "the JVM's own streams are back after the job");
  }

  @Test
  void aFailingJobAnswersStatusOneWithTheErrorAndTheNextJobRuns() throws Exception {
    int[] calls = {0};
    start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          if (calls[0]++ == 0) {
            throw new IllegalStateException("broken");
          }
          out.println("fine");
          return 0;
        },
        () -> {});
    Relayed failed = send("encode");
    assertEquals(1, failed.status());
    assertTrue(failed.err().contains("IllegalStateException: broken"), failed.err());
    assertEquals(new Relayed(0, "fine\n", ""), send("encode"));
  }

  @Test
  void aCommandItDoesNotRunAndOneThatComesWhileAnotherRunsAreLeftToTheClient() throws Exception {
    CountDownLatch inJob = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          inJob.countDown();
          await(release);
          return 0;
        },
        () -> {});
    assertEquals(ResidentClient.RUN_HERE, send("serve").status());
    Thread first = new Thread(() -> assertDoesNotFail(() -> send("encode")));
    first.start();
    assertTrue(inJob.await(10, TimeUnit.SECONDS));
    assertEquals(
        ResidentClient.RUN_HERE,
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> send("encode").status()),
        "busy: answered at once, and the client runs it");
    release.countDown();
    first.join(10_000);
    assertEquals(0, send("encode").status(), "free again");
  }

  @Test
  void aClientThatLeavesDuringItsJobEndsTheResidentJvm() throws Exception {
    CountDownLatch inJob = new CountDownLatch(1);
    CountDownLatch left = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          inJob.countDown();
          await(release);
          return 0;
        },
        left::countDown);
    SocketChannel ch = ResidentConnections.connect(socket());
    ResidentProtocol.writeRequest(
        ch, new ResidentProtocol.Request(ResidentProtocol.JOB, "/", List.of("encode")));
    assertTrue(inJob.await(10, TimeUnit.SECONDS));
    ch.close();
    assertTrue(left.await(10, TimeUnit.SECONDS), "the interrupt reached the resident JVM");
    release.countDown();
  }

  @Test
  void anIdleResidentJvmEndsAndRemovesItsSocketAndFreesItsLock() throws Exception {
    ResidentServer s =
        ResidentServer.open(
            socket(), Duration.ofMillis(300), a -> true, (out, err, args) -> 0, () -> {});
    assertNotNull(s);
    servers.add(s);
    assertTrue(Files.exists(socket()));
    assertTimeoutPreemptively(Duration.ofSeconds(10), s::serve);
    assertFalse(Files.exists(socket()));
    assertNull(ResidentConnections.connect(socket()));
    ResidentServer next =
        ResidentServer.open(
            socket(), Duration.ofMinutes(1), a -> true, (out, err, args) -> 0, () -> {});
    assertNotNull(next, "the lock is free");
    servers.add(next);
  }

  @Test
  void aNewResidentJvmWaitsForTheLockOfOneThatIsEnding() throws Exception {
    ResidentServer ending = start(Duration.ofMinutes(1), (out, err, args) -> 0, () -> {});
    Thread stopper =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              ending.close();
            });
    stopper.start();
    long t0 = System.nanoTime();
    ResidentServer next =
        ResidentServer.open(
            socket(), Duration.ofMinutes(1), a -> true, (out, err, args) -> 0, () -> {});
    assertTrue(System.nanoTime() - t0 >= 250_000_000L, "it waited for the one ending");
    assertNotNull(next);
    servers.add(next);
    stopper.join();
  }

  @Test
  void aSecondResidentJvmForTheSameSocketStandsAsideAfterWaitingForTheLock() throws Exception {
    start(Duration.ofMinutes(1), (out, err, args) -> 0, () -> {});
    assertNull(
        ResidentServer.open(socket(), Duration.ofMinutes(1), a -> true, (o, e, a) -> 0, () -> {}));
    assertEquals(0, send("encode").status(), "the first one still serves");
  }

  @Test
  void stopEndsEveryResidentJvmAfterItsRunningJob() throws Exception {
    CountDownLatch inJob = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        Duration.ofMinutes(1),
        (out, err, args) -> {
          inJob.countDown();
          await(release);
          out.println("done");
          return 0;
        },
        () -> {});
    Relayed[] first = new Relayed[1];
    Thread t = new Thread(() -> assertDoesNotFail(() -> first[0] = send("encode")));
    t.start();
    assertTrue(inJob.await(10, TimeUnit.SECONDS));
    Files.createFile(dir.resolve("stale.sock")); // nothing listens: removed
    Files.createFile(dir.resolve("old.sock.lock")); // nobody holds it: removed, with its empty log
    Files.createFile(dir.resolve("old.log"));
    System.setProperty(ResidentPlace.DIR_PROPERTY, dir.toString());
    try {
      assertEquals(1, ResidentStop.stopAll(Map.of()));
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
    assertFalse(Files.exists(dir.resolve("stale.sock")));
    assertFalse(Files.exists(dir.resolve("old.sock.lock")));
    assertFalse(Files.exists(dir.resolve("old.log")));
    assertTrue(Files.exists(ResidentPlace.lockOf(socket())), "the running one's lock stays");
    release.countDown();
    t.join(10_000);
    assertEquals(new Relayed(0, "done\n", ""), first[0], "the running job ends first");
    serving.get(0).join(10_000);
    assertFalse(serving.get(0).isAlive(), "then the resident JVM ends");
    assertFalse(Files.exists(socket()));
  }

  @Test
  void onlyAFolderPrivateToItsOwnerHoldsSockets() throws Exception {
    Path open =
        Files.createDirectory(
            tmp.resolve("open"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    System.setProperty(ResidentPlace.DIR_PROPERTY, open.toString());
    try {
      IOException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IOException.class, () -> ResidentPlace.find(Map.of()));
      assertTrue(e.getMessage().contains("not a folder private to"), e.getMessage());
      System.setProperty(ResidentPlace.DIR_PROPERTY, tmp.resolve("made").toString());
      Path made = ResidentPlace.find(Map.of()).dir();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
  }

  private interface Failing {
    void run() throws Exception;
  }

  private static void assertDoesNotFail(Failing f) {
    try {
      f.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
