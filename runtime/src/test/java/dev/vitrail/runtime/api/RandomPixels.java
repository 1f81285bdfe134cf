package dev.vitrail.runtime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random normal pixels at a fixed-size tower's {@code image_size}, read from its config. */
final class RandomPixels {
  private RandomPixels() {}

  /** {@code count} images of {@code [3, size, size]} for the model in {@code model}. */
  static List<PixelInput> of(Path model, int count, long seed) throws IOException {
    int size =
        new ObjectMapper()
            .readTree(model.resolve("config.json").toFile())
            .get("image_size")
            .asInt();
    Random rnd = new Random(seed);
    List<PixelInput> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[3 * size * size];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) rnd.nextGaussian();
      }
      images.add(new PixelInput(v, new int[] {3, size, size}, null));
    }
    return images;
  }
}
