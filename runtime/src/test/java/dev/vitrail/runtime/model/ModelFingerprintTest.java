package dev.vitrail.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model fingerprint follows config, weights and dtype, not the directory. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ModelFingerprintTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");

  @TempDir Path dir;

  private Path copy(String name) throws Exception {
    Path to = Files.createDirectories(dir.resolve(name));
    try (var files = Files.list(MODEL)) { // every file the fingerprint may read
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
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
    String json = Files.readString(config.resolve("config.json"));
    Files.writeString(
        config.resolve("config.json"),
        json.substring(0, json.lastIndexOf('}')) + ",\"vitrail_note\": 1}");
    assertNotEquals(fp, ModelFingerprint.of(config, "f32"));

    Path weights = copy("weights");
    byte[] bytes = Files.readAllBytes(weights.resolve("model.safetensors"));
    bytes[bytes.length - 3] ^= 1; // one bit of the last weight
    Files.write(weights.resolve("model.safetensors"), bytes);
    assertNotEquals(fp, ModelFingerprint.of(weights, "f32"));
  }
}
