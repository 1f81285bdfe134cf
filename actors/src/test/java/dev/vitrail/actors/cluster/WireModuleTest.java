package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pixels from 8-bit sources cross nodes as one byte per value, bit-exact. */
class WireModuleTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ClusterNodes.start();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** CLIP-style normalization of random 8-bit pixels, channel-planar. */
  private static PixelInput normalizedImage(int c, int h, int w, long seed) {
    Random rnd = new Random(seed);
    float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
    float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
    float[] v = new float[c * h * w];
    for (int i = 0; i < v.length; i++) {
      int ch = i / (h * w);
      v[i] = (rnd.nextInt(256) / 255f - mean[ch % 3]) / std[ch % 3];
    }
    return new PixelInput(v, new int[] {c, h, w}, null);
  }

  @Test
  void normalizedImagesPackLosslesslyIntoOneBytePerValue() {
    PixelInput image = normalizedImage(3, 64, 48, 1);
    int[] layout = PixelCodes.layout(image.shape(), false);
    PixelCodes codes = PixelCodes.pack(image.values(), layout[0], layout[1]);
    assertNotNull(codes);
    assertArrayEquals(image.values(), codes.unpack());
  }

  @Test
  void patchRowsPackPerChannelBlock() {
    // Qwen patch rows [N, C*T*P*P]: channel c of a row is the c-th third of it.
    PixelInput planar = normalizedImage(3, 2, 2 * 14 * 14, 2);
    int d = 3 * 2 * 14 * 14;
    float[] rows = new float[4 * d];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 3; c++) {
        System.arraycopy(planar.values(), c * d / 3, rows, r * d + c * d / 3, d / 3);
      }
    }
    int[] layout = PixelCodes.layout(new int[] {4, d}, true);
    PixelCodes codes = PixelCodes.pack(rows, layout[0], layout[1]);
    assertNotNull(codes);
    assertArrayEquals(rows, codes.unpack());
  }

  @Test
  void arbitraryFloatsAreNotPacked() {
    float[] v = new float[3 * 32 * 32];
    Random rnd = new Random(3);
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat();
    }
    assertNull(PixelCodes.pack(v, 3, 32 * 32));
  }

  @Test
  void anEncodeMessageIsAboutAQuarterOfItsFloatSize() {
    TestProbe<EncoderWorker.Reply> probe = kit.createTestProbe();
    PixelInput image = normalizedImage(3, 336, 336, 4);
    var message = new EncoderWorker.Encode(1, image, FeatureSpec.defaults(), false, probe.getRef());
    var s = SerializationExtension.get(kit.system());
    byte[] bytes = s.serialize(message).get();
    long floats = 4L * image.values().length;
    assertTrue(
        bytes.length < 0.26 * floats, bytes.length + " bytes for " + floats + " float bytes");
    var serializer = s.findSerializerFor(message);
    var back =
        (EncoderWorker.Encode)
            s.deserialize(
                    bytes,
                    serializer.identifier(),
                    org.apache.pekko.serialization.Serializers.manifestFor(serializer, message))
                .get();
    assertArrayEquals(image.values(), back.input().values());
  }
}
