package dev.vitrail.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model fingerprint follows config, weights and dtype, not the directory. */
class ModelFingerprintTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");

  @TempDir Path dir;

  private Path copy(String name) throws Exception {
    Path to = Files.createDirectories(dir.resolve(name));
    for (String f : new String[] {"config.json", "model.safetensors"}) {
      Files.copy(MODEL.resolve(f), to.resolve(f));
    }
    return to;
  }

  @Test
  void sameFilesSameFingerprintAnythingElseDiffers() throws Exception {
    String fp = ModelFingerprint.of(MODEL, "f32");
    assertEquals(16, fp.length());
    assertEquals(fp, ModelFingerprint.of(copy("same"), "f32"));
    assertNotEquals(fp, ModelFingerprint.of(MODEL, "bf16"));

    Path config = copy("config");
    Files.writeString(
        config.resolve("config.json"),
        Files.readString(config.resolve("config.json")).replace("1e-05", "1e-06"));
    assertNotEquals(fp, ModelFingerprint.of(config, "f32"));

    Path weights = copy("weights");
    byte[] bytes = Files.readAllBytes(weights.resolve("model.safetensors"));
    bytes[bytes.length - 3] ^= 1; // one bit of the last weight
    Files.write(weights.resolve("model.safetensors"), bytes);
    assertNotEquals(fp, ModelFingerprint.of(weights, "f32"));
  }
}
