package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every worker command and reply goes through jackson-cbor and comes back equal. */
@ExtendWith(LogCapturingExtension.class)
class CrossNodeSerializationTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ClusterNodes.start();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static <T> T roundTrip(T message) {
    Serialization s = SerializationExtension.get(kit.system());
    var serializer = s.findSerializerFor(message);
    assertInstanceOf(JacksonCborSerializer.class, serializer, message.getClass().getName());
    byte[] bytes = s.serialize(message).get();
    Object back =
        s.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
            .get();
    @SuppressWarnings("unchecked")
    T typed = (T) back;
    assertEquals(message.getClass(), typed.getClass());
    return typed;
  }

  @Test
  void commandsCarryPixelsSpecAndReplyAddress() {
    TestProbe<EncoderWorker.Reply> probe = kit.createTestProbe();
    Random rnd = new Random(3);
    PixelInput patches = Inputs.patches(rnd, 4, 4, 6);
    PixelInput image = Inputs.image(rnd, 5);
    FeatureSpec spec = new FeatureSpec(List.of(-2, -1), "full", false, true);
    var one = new EncoderWorker.Encode(41, patches, spec, true, probe.getRef());
    var all =
        new EncoderWorker.EncodeAll(
            List.of(
                one,
                new EncoderWorker.Encode(
                    42, image, FeatureSpec.lmEmbeddings(), false, probe.getRef(), true)));
    EncoderWorker.EncodeAll back = roundTrip(all);
    assertEquals(2, back.items().size());
    for (int i = 0; i < 2; i++) {
      var want = all.items().get(i);
      var got = back.items().get(i);
      assertEquals(want.key(), got.key());
      assertEquals(want.spec(), got.spec());
      assertEquals(want.solo(), got.solo());
      assertEquals(want.first(), got.first());
      assertEquals(want.replyTo(), got.replyTo());
      assertArrayEquals(want.input().values(), got.input().values());
      assertArrayEquals(want.input().shape(), got.input().shape());
      assertArrayEquals(want.input().gridThw(), got.input().gridThw());
    }
    assertEquals(one.key(), roundTrip(one).key());
  }

  @Test
  void repliesCarryFeaturesAndKeys() {
    var encoded =
        new EncoderWorker.ItemEncoded(
            1,
            7,
            new FeatureOutput(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e30f}, new int[] {2, 2}));
    var back = roundTrip(encoded);
    assertEquals(7, back.key());
    assertEquals(1, back.worker());
    assertArrayEquals(encoded.output().values(), back.output().values());
    assertArrayEquals(encoded.output().shape(), back.output().shape());
    var failed = new EncoderWorker.ItemsFailed(0, List.of(3L, 4L), "tower failed: boom");
    assertEquals(failed, roundTrip(failed));
    var returned = new EncoderWorker.ItemsReturned(2, List.of(9L));
    assertEquals(returned, roundTrip(returned));
    var leaving = new EncoderWorker.Leaving(4);
    assertEquals(leaving, roundTrip(leaving));
    var cancel = new EncoderWorker.Cancel(List.of(7L, 1L << 40));
    assertEquals(cancel, roundTrip(cancel));
  }
}
