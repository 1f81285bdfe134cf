package dev.vitrail.config.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vitrail.workers.devices}: auto, cpu, HOCON lists and comma-separated strings. */
class DeviceSettingsTest {
  private static RuntimeSettings with(String hocon) {
    return RuntimeSettings.from(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void autoKeepsCpuWorkersUntilPlaced() {
    RuntimeSettings s = with("vitrail.workers { count = 3, devices = auto }");
    assertTrue(s.autoDevices());
    assertEquals(3, s.workers());
    assertEquals(List.of("cpu", "cpu", "cpu"), s.devices());
  }

  @Test
  void cpuWordAndEmptyListMeanEveryWorkerOnCpu() {
    for (String devices : List.of("cpu", "[cpu]", "[]", "\"\"")) {
      RuntimeSettings s = with("vitrail.workers { count = 2, devices = " + devices + " }");
      assertFalse(s.autoDevices(), devices);
      assertEquals(List.of("cpu", "cpu"), s.devices(), devices);
    }
  }

  @Test
  void explicitListsInEitherSpelling() {
    RuntimeSettings list =
        with("vitrail.workers { count = 2, devices = [\"cuda:0\", \"cuda:2\"] }");
    assertEquals(List.of("cuda:0", "cuda:2"), list.devices());
    assertFalse(list.autoDevices());
    RuntimeSettings text = with("vitrail.workers { count = 2, devices = \"cuda:0, cuda:2\" }");
    assertEquals(List.of("cuda:0", "cuda:2"), text.devices());
    // -D system properties arrive as strings
    RuntimeSettings prop =
        RuntimeSettings.from(
            ConfigFactory.parseMap(
                    Map.of("vitrail.workers.devices", "cpu,cuda:1", "vitrail.workers.count", "2"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    assertEquals(List.of("cpu", "cuda:1"), prop.devices());
  }

  @Test
  void badListsNameTheKey() {
    for (String bad : List.of("\"cuda:0,gpu\"", "[\"cuda:-1\"]", "[\"CUDA:0\"]", "\"cuda0\"")) {
      InvalidSettingsException e =
          assertThrows(
              InvalidSettingsException.class,
              () -> with("vitrail.workers { count = 2, devices = " + bad + " }"));
      assertTrue(e.getMessage().contains("vitrail.workers.devices"), e.getMessage());
    }
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () -> with("vitrail.workers { count = 1, devices = [\"cuda:0\", \"cuda:1\"] }"));
    assertTrue(e.getMessage().contains("1 devices (one per worker)"), e.getMessage());
  }

  @Test
  void placingSizesWorkersAndSpeeds() {
    RuntimeSettings s = with("vitrail.workers { count = 1, speeds = [2.0] }");
    RuntimeSettings placed = s.withDevices(List.of("cuda:0", "cuda:1", "cuda:2"));
    assertEquals(3, placed.workers());
    assertEquals(List.of("cuda:0", "cuda:1", "cuda:2"), placed.devices());
    assertEquals(List.of(2.0, 2.0, 2.0), placed.speeds());
    assertFalse(placed.autoDevices());
    assertEquals(s.batchLimit(), placed.batchLimit());
    assertEquals(s.maxInFlightItems(), placed.maxInFlightItems());
  }

  @Test
  void unequalSpeedsMustMatchThePlacedDevices() {
    RuntimeSettings s = with("vitrail.workers { count = 2, speeds = [1.0, 0.5] }");
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () -> s.withDevices(List.of("cuda:0", "cuda:1", "cuda:2")));
    assertTrue(e.getMessage().contains("vitrail.workers.speeds"), e.getMessage());
    assertEquals(List.of(1.0, 0.5), s.withDevices(List.of("cuda:0", "cuda:1")).speeds());
  }
}
