package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resident JVM runs only commands a fresh JVM would have run in exactly its state. */
class ResidentKeyTest {
  @TempDir Path dir;

  private static final List<String> COMMAND = List.of("java", "-Xss4m", "-cp", "a.jar", "Main");
  private static final Map<String, String> ENV = Map.of("PATH", "/bin", "VITRAIL_X", "1");

  private static String key(List<String> command, String cwd, Map<String, String> env) {
    return ResidentKey.of(command, cwd, env, List.of("a.jar 10 20"));
  }

  private static Map<String, String> with(String k, String v) {
    Map<String, String> m = new HashMap<>(ENV);
    m.put(k, v);
    return m;
  }

  @Test
  void theJvmCommandTheFolderAndTheEnvironmentEachMakeAnotherKey() {
    String base = key(COMMAND, "/w", ENV);
    assertEquals(20, base.length());
    assertEquals(base, key(COMMAND, "/w", new HashMap<>(ENV)));
    assertNotEquals(base, key(List.of("java", "-Xss8m", "-cp", "a.jar", "Main"), "/w", ENV));
    assertNotEquals(base, key(COMMAND, "/v", ENV));
    assertNotEquals(base, key(COMMAND, "/w", with("VITRAIL_X", "2")));
    assertNotEquals(base, key(COMMAND, "/w", with("OPENBLAS_NUM_THREADS", "1")));
    assertNotEquals(base, ResidentKey.of(COMMAND, "/w", ENV, List.of("a.jar 10 21")));
    // no ambiguity between where one word ends and the next begins
    assertNotEquals(key(List.of("ab", "c"), "/w", ENV), key(List.of("a", "bc"), "/w", ENV));
  }

  @Test
  void aShellsPerSessionVariablesAndTheSwitchItselfDoNot() {
    String base = key(COMMAND, "/w", ENV);
    assertEquals(base, key(COMMAND, "/w", with("SHLVL", "3")));
    assertEquals(base, key(COMMAND, "/w", with("OLDPWD", "/tmp")));
    assertEquals(base, key(COMMAND, "/w", with("VITRAIL_RESIDENT", "on")));
  }

  @Test
  void aRebuiltClassPathFileMakesAnotherKey() throws Exception {
    Path jar = Files.write(dir.resolve("x.jar"), new byte[] {1, 2});
    List<String> command = List.of("java", "-cp", jar + ":" + dir.resolve("gone.jar"), "Main");
    List<String> before = ResidentKey.classPathStamps(command);
    assertEquals(2, before.size());
    assertEquals(dir.resolve("gone.jar") + " missing", before.get(1));
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
    assertNotEquals(before, ResidentKey.classPathStamps(command));
  }
}
