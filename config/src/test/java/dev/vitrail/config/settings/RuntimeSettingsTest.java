package dev.vitrail.config.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
  private static RuntimeSettings with(String hocon) {
    return RuntimeSettings.from(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void defaultsLoadFromReferenceConf() {
    RuntimeSettings s = RuntimeSettings.from(ConfigFactory.defaultReference());
    assertEquals(1, s.workers());
    assertEquals(List.of("cpu"), s.devices());
    assertEquals(List.of(1.0), s.speeds());
    assertTrue(s.autoDevices(), "devices = auto is the default");
    assertEquals("auto", s.computeDtype());
    assertEquals(0, s.batchPatchBudget());
    assertEquals("lpt", s.balancePolicy());
    assertEquals(Duration.ZERO, s.batchWait());
    assertEquals(0, s.cacheMaxBytes());
    assertEquals("auto", s.blas());
    assertEquals("auto", s.linearKernel());
  }

  @Test
  void theLinearKernelComesFromSettingsOrEnvironmentAndIsChecked() {
    assertEquals("mlas", with("vitrail.workers.linear-kernel = mlas").linearKernel());
    var env = ConfigFactory.parseMap(Map.of("VITRAIL_LINEAR_KERNEL", "onednn"));
    assertEquals(
        "onednn",
        RuntimeSettings.from(
                ConfigFactory.parseResources("reference.conf").withFallback(env).resolve())
            .linearKernel());
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class, () -> with("vitrail.workers.linear-kernel = xnnpack"));
    assertTrue(e.getMessage().contains("vitrail.workers.linear-kernel"), e.getMessage());
  }

  @Test
  void computeModeAndBlasLibraryComeFromSettingsOrEnvironment() {
    RuntimeSettings s = with("vitrail.workers { compute-dtype = int8, blas = mkl }");
    assertEquals("int8", s.computeDtype());
    assertEquals("mkl", s.blas());
    var env =
        ConfigFactory.parseMap(Map.of("VITRAIL_BLAS", "openblas", "VITRAIL_COMPUTE_DTYPE", "bf16"));
    RuntimeSettings e =
        RuntimeSettings.from(
            ConfigFactory.parseResources("reference.conf").withFallback(env).resolve());
    assertEquals("openblas", e.blas());
    assertEquals("bf16", e.computeDtype());
  }

  @Test
  void overridesApply() {
    RuntimeSettings s =
        with(
            "vitrail { workers { count = 2, speeds = [1, 0.5] }, balance.policy = cost,"
                + " cache.max-bytes = 64MiB }");
    assertEquals(2, s.workers());
    assertEquals(List.of("cpu", "cpu"), s.devices());
    assertEquals(List.of(1.0, 0.5), s.speeds());
    assertEquals("cost", s.balancePolicy());
    assertEquals(64L << 20, s.cacheMaxBytes());
  }

  @Test
  void environmentVariablesOverrideTheDefaults() {
    // reference.conf reads ${?VITRAIL_...}, looked up in the config root before the real
    // environment: stand-in variables at the root play the environment.
    var env =
        ConfigFactory.parseMap(
            Map.of(
                "VITRAIL_WORKERS",
                "3",
                "VITRAIL_BALANCE",
                "pull",
                "VITRAIL_CACHE_BYTES",
                "1048576"));
    RuntimeSettings s =
        RuntimeSettings.from(
            ConfigFactory.parseResources("reference.conf").withFallback(env).resolve());
    assertEquals(3, s.workers());
    assertEquals("pull", s.balancePolicy());
    assertEquals(1 << 20, s.cacheMaxBytes());
  }

  @Test
  void badValuesNameTheKey() {
    assertMessage("vitrail.workers.count = 0", "vitrail.workers.count", ">= 1");
    assertMessage("vitrail.balance.policy = random", "vitrail.balance.policy", "[lpt, cost, pull]");
    assertMessage(
        "vitrail.workers { count = 3, devices = [cpu, \"cuda:0\"] }",
        "vitrail.workers.devices",
        "3 devices");
    assertMessage("vitrail.workers.devices = [gpu]", "vitrail.workers.devices", "'gpu'");
    assertMessage("vitrail.workers.devices = [auto]", "vitrail.workers.devices", "'auto'");
    assertMessage("vitrail.workers.devices = \"cuda:x\"", "vitrail.workers.devices", "'cuda:x'");
    assertMessage("vitrail.workers.batch-patch-budget = -1", "batch-patch-budget", ">= 0");
    assertMessage("vitrail.workers.batch-wait = soon", "vitrail.workers.batch-wait", "");
    assertMessage(
        "vitrail.workers { count = 2, speeds = [1, 0] }", "vitrail.workers.speeds", "positive");
    assertMessage(
        "vitrail.balance.cost-model.full-attention-fraction = 2",
        "full-attention-fraction",
        "[0.0, 1.0]");
    assertMessage(
        "vitrail.workers { torch-threads = 2, blas-threads = 2 }",
        "vitrail.workers.blas-threads",
        "1 while torch-threads is 2");
    assertMessage(
        "vitrail.workers.compute-dtype = f64",
        "vitrail.workers.compute-dtype",
        "[f32, bf16, f16, int8, auto]");
    assertMessage("vitrail.workers.blas = atlas", "vitrail.workers.blas", "[auto, openblas, mkl]");
    assertMessage(
        "vitrail.workers { compute-dtype = int8, devices = [\"cuda:0\"] }",
        "vitrail.workers.compute-dtype",
        "CPU only");
    assertMessage("vitrail.cluster.enabled = yes-please", "vitrail.cluster.enabled", "");
    assertMessage(
        "vitrail.cluster.remote-worker-speed = 0", "vitrail.cluster.remote-worker-speed", "");
  }

  @Test
  void clusterSettingsNeedNoPekkoProvider() {
    assertFalse(with("").clusterEnabled());
    RuntimeSettings s = with("vitrail.cluster { enabled = true, remote-worker-speed = 2.5 }");
    assertTrue(s.clusterEnabled());
    assertEquals(2.5, s.remoteWorkerSpeed());
  }

  private static void assertMessage(String hocon, String key, String part) {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> with(hocon));
    assertTrue(e.getMessage().contains(key) && e.getMessage().contains(part), e.getMessage());
  }
}
