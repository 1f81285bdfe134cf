package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When no resident JVM can take a command, the client leaves it to the launcher, saying why. */
class ResidentClientTest {
  @TempDir Path tmp;

  private String run(List<String> command, int wantStatus) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> ResidentClient.run(command, List.of("encode", "x.png"), Map.of(), out, err));
    assertEquals(wantStatus, status);
    assertEquals(0, out.size());
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aResidentJvmThatDoesNotStartLeavesTheCommandToTheLauncher() throws Exception {
    Path dir = TestResidents.folder(tmp.resolve("r"), "rwx------");
    System.setProperty(ResidentPlace.DIR_PROPERTY, dir.toString());
    try {
      String said = run(List.of("true"), ResidentClient.RUN_HERE); // exits at once
      assertTrue(said.startsWith("vitrail: the resident JVM did not start (its log: "), said);
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
  }

  @Test
  void aFolderOthersMayUseIsRefused() throws Exception {
    Path open = TestResidents.folder(tmp.resolve("o"), "rwxrwxrwx");
    System.setProperty(ResidentPlace.DIR_PROPERTY, open.toString());
    try {
      String said = run(List.of("true"), ResidentClient.RUN_HERE);
      assertTrue(said.startsWith("vitrail: no resident JVM: " + open), said);
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
  }
}
