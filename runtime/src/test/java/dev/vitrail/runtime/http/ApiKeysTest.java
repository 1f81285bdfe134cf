package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @Test
  void bearerKeysFromTheListAndTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "# ops\nsk-file\n\n");
    ApiKeys keys = ApiKeys.of(" sk-a , sk-b,", file.toString(), true);
    assertTrue(keys.enabled());
    assertTrue(keys.admits("Bearer sk-a"));
    assertTrue(keys.admits("bearer sk-b"));
    assertTrue(keys.admits("Bearer sk-file"));
    assertFalse(keys.admits("Bearer # ops"));
    assertFalse(keys.admits("Bearer sk-"));
    assertFalse(keys.admits("Bearer sk-a2"));
    assertFalse(keys.admits("Basic sk-a"));
    assertFalse(keys.admits("sk-a"));
    assertFalse(keys.admits(null));
    assertFalse(keys.toString().contains("sk-"), keys.toString());
  }

  @Test
  void noKeysLetEverythingIn() {
    assertFalse(ApiKeys.none().enabled());
    assertTrue(ApiKeys.none().admits(null));
    assertFalse(ApiKeys.of("", null, true).enabled());
  }

  @Test
  void settingsReadTheKeysAndRefuseAMissingFile() {
    HttpSettings s =
        HttpSettings.from(
            ConfigFactory.parseString(
                    "vitrail.http { api-keys = \"k1,k2\", metrics-need-key = false }")
                .withFallback(ConfigFactory.load()));
    assertTrue(s.apiKeys().admits("Bearer k2"));
    assertFalse(s.apiKeys().metricsNeedKey());
    assertFalse(s.toString().contains("k1"));
    assertThrows(
        InvalidSettingsException.class,
        () ->
            HttpSettings.from(
                ConfigFactory.parseString("vitrail.http.api-keys-file = \"/nonexistent/keys\"")
                    .withFallback(ConfigFactory.load())));
  }
}
