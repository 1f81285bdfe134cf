package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializationExtension$;
import org.junit.jupiter.api.Test;

class LazySerializationTest {
  private static final Config ALL = ConfigFactory.load();

  @Test
  void aLocalSystemLoadsEveryOtherExtensionAtStartButNotSerialization() {
    List<String> before = ALL.getStringList(LazySerialization.LIBRARY_EXTENSIONS);
    assertTrue(before.contains(LazySerialization.SERIALIZATION), before.toString());
    List<String> expected = new ArrayList<>(before);
    expected.remove(LazySerialization.SERIALIZATION);
    Config local = LazySerialization.over(ALL);
    assertEquals(expected, local.getStringList(LazySerialization.LIBRARY_EXTENSIONS));
    assertFalse(expected.isEmpty()); // the receptionist, the typed extensions, the materializer
    assertEquals(ALL.getConfig("pekko.actor"), local.getConfig("pekko.actor")); // all serializers
  }

  @Test
  void remoteSystemsAndSerializedLocalMessagesKeepTheList() {
    for (String setting :
        new String[] {
          "pekko.actor.provider = cluster",
          "pekko.actor.serialize-messages = on",
          "pekko.actor.serialize-creators = on"
        }) {
      Config c = ConfigFactory.parseString(setting).withFallback(ALL);
      assertSame(c, LazySerialization.over(c), setting);
    }
  }

  @Test
  void serializationIsMadeOnFirstUseWithEverySerializer() {
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), "lazy-serialization", LazySerialization.over(ALL));
    try {
      ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
      assertFalse(classic.hasExtension(SerializationExtension$.MODULE$), "made at start");
      byte[] bytes = SerializationExtension.get(classic).serialize("text").get();
      assertEquals("text", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(classic.hasExtension(SerializationExtension$.MODULE$));
      // the modules' serializers are all there once it is made (ids 2, 5: proto, cluster)
      assertEquals(
          "org.apache.pekko.remote.serialization.ProtobufSerializer",
          SerializationExtension.get(classic).serializerByIdentity().apply(2).getClass().getName());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
