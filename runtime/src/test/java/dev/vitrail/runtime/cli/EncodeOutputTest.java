package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vitrail encode} writes beside its first input unless {@code --out} says otherwise. */
class EncodeOutputTest {
  @TempDir Path dir;

  @Test
  void theDefaultOutputIsBesideTheFirstInputAndNamedAfterIt() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("photos"));
    Path image = Files.write(dir.resolve("cat.v2.png"), new byte[] {1});
    assertEquals(dir.resolve("photos.safetensors"), EncodeCommand.besideInput(folder));
    assertEquals(
        dir.resolve("photos.safetensors"), EncodeCommand.besideInput(dir.resolve("photos/")));
    assertEquals(dir.resolve("cat.v2.safetensors"), EncodeCommand.besideInput(image));
    assertEquals(Path.of("/features.safetensors"), EncodeCommand.besideInput(Path.of("/")));
  }
}
