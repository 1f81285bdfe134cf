package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A resident server's life: idle end, its lock, stop, and the folder it lives in. */
class ResidentLifecycleTest {
  @TempDir Path tmp;
  @RegisterExtension final TestResidents r = new TestResidents();

  @Test
  void anIdleResidentJvmEndsAndRemovesItsSocketAndFreesItsLock() throws Exception {
    ResidentServer s =
        ResidentServer.open(
            r.socket(), Duration.ofMillis(300), a -> true, (out, err, args) -> 0, () -> {});
    assertNotNull(s);
    r.add(s);
    assertTrue(Files.exists(r.socket()));
    assertTimeoutPreemptively(Duration.ofSeconds(10), s::serve);
    assertFalse(Files.exists(r.socket()));
    assertNull(ResidentConnections.connect(r.socket()));
    ResidentServer next =
        ResidentServer.open(
            r.socket(), Duration.ofMinutes(1), a -> true, (out, err, args) -> 0, () -> {});
    assertNotNull(next, "the lock is free");
    r.add(next);
  }

  @Test
  void aNewResidentJvmWaitsForTheLockOfOneThatIsEnding() throws Exception {
    ResidentServer ending = r.start(Duration.ofMinutes(1), (out, err, args) -> 0, () -> {});
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
            r.socket(), Duration.ofMinutes(1), a -> true, (out, err, args) -> 0, () -> {});
    assertTrue(System.nanoTime() - t0 >= 250_000_000L, "it waited for the one ending");
    assertNotNull(next);
    r.add(next);
    stopper.join();
  }

  @Test
  void aSecondResidentJvmForTheSameSocketStandsAsideAfterWaitingForTheLock() throws Exception {
    r.start(Duration.ofMinutes(1), (out, err, args) -> 0, () -> {});
    assertNull(
        ResidentServer.open(
            r.socket(), Duration.ofMinutes(1), a -> true, (o, e, a) -> 0, () -> {}));
    assertEquals(0, r.send("encode").status(), "the first one still serves");
  }

  @Test
  void stopEndsEveryResidentJvmAfterItsRunningJob() throws Exception {
    TestResidents.HeldJob held = new TestResidents.HeldJob("done");
    r.start(Duration.ofMinutes(1), held, () -> {});
    TestResidents.Relayed[] first = new TestResidents.Relayed[1];
    Thread t = new Thread(() -> TestResidents.assertDoesNotFail(() -> first[0] = r.send("encode")));
    t.start();
    held.awaitRunning();
    Files.createFile(r.dir().resolve("stale.sock")); // nothing listens: removed
    Files.createFile(
        r.dir().resolve("old.sock.lock")); // nobody holds it: removed, with its empty log
    Files.createFile(r.dir().resolve("old.log"));
    System.setProperty(ResidentPlace.DIR_PROPERTY, r.dir().toString());
    try {
      assertEquals(1, ResidentStop.stopAll(Map.of()));
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
    assertFalse(Files.exists(r.dir().resolve("stale.sock")));
    assertFalse(Files.exists(r.dir().resolve("old.sock.lock")));
    assertFalse(Files.exists(r.dir().resolve("old.log")));
    assertTrue(Files.exists(ResidentPlace.lockOf(r.socket())), "the running one's lock stays");
    held.release.countDown();
    t.join(10_000);
    assertEquals(
        new TestResidents.Relayed(0, "done\n", ""), first[0], "the running job ends first");
    r.serving(0).join(10_000);
    assertFalse(r.serving(0).isAlive(), "then the resident JVM ends");
    assertFalse(Files.exists(r.socket()));
  }

  @Test
  void onlyAFolderPrivateToItsOwnerHoldsSockets() throws Exception {
    Path open = TestResidents.folder(tmp.resolve("open"), "rwxr-xr-x");
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
}
