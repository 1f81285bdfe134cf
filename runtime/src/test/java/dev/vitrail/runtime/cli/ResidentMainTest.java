package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resident JVM's settings: its idle time and the commands it runs. */
class ResidentMainTest {
  @Test
  void theIdleTimeIsTenMinutesUnlessSetToAPositiveNumberOfSeconds() {
    assertEquals(Duration.ofMinutes(10), ResidentMain.idle(null));
    assertEquals(Duration.ofMinutes(10), ResidentMain.idle(" "));
    assertEquals(Duration.ofSeconds(5), ResidentMain.idle(" 5 "));
    for (String bad : List.of("0", "-3", "5s")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ResidentMain.idle(bad));
      assertTrue(e.getMessage().contains(ResidentMain.IDLE_ENV), e.getMessage());
    }
  }

  @Test
  void itRunsEncodeOnly() {
    assertTrue(ResidentMain.serves(List.of("encode", "--model", "m", "x.png")));
    for (List<String> other :
        List.of(
            List.<String>of(), List.of("serve"), List.of("video", "v.mp4"), List.of("--help"))) {
      assertFalse(ResidentMain.serves(other), other.toString());
    }
  }
}
