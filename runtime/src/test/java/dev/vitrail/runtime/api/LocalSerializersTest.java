package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;

class LocalSerializersTest {
  private static final Config ALL = ConfigFactory.load();

  private static Set<String> serializerNames(Config c) {
    return c.getObject(LocalSerializers.SERIALIZERS).keySet();
  }

  @Test
  void aLocalSystemKeepsPekkosBasicSerializersAndTheirBindingsOnly() {
    Config local = LocalSerializers.over(ALL);
    Set<String> kept = serializerNames(local);
    assertTrue(kept.containsAll(Set.of("java", "bytes", "primitive-string")), kept.toString());
    assertTrue(serializerNames(ALL).containsAll(Set.of("jackson-json", "pekko-cluster", "proto")));
    for (String dropped : Set.of("jackson-json", "jackson-cbor", "pekko-cluster", "proto")) {
      assertFalse(kept.contains(dropped), dropped);
    }
    local
        .getObject(LocalSerializers.BINDINGS)
        .values()
        .forEach(v -> assertTrue(kept.contains((String) v.unwrapped()), v.toString()));
    assertEquals(
        "java", local.getObject(LocalSerializers.BINDINGS).get("java.io.Serializable").unwrapped());
    // everything else is untouched
    assertEquals(ALL.getConfig("pekko.stream"), local.getConfig("pekko.stream"));
  }

  @Test
  void theApplicationsOwnSerializersStay() {
    Config withOwn =
        ConfigFactory.parseString(
                "pekko.actor.serializers.mine = \"com.example.MySerializer\"\n"
                    + "pekko.actor.serialization-bindings { \"com.example.Msg\" = mine }")
            .withFallback(ALL);
    Config local = LocalSerializers.over(withOwn);
    assertEquals("com.example.MySerializer", local.getString("pekko.actor.serializers.mine"));
    assertEquals(
        "mine", local.getObject(LocalSerializers.BINDINGS).get("com.example.Msg").unwrapped());
  }

  @Test
  void remoteSystemsAndSerializedLocalMessagesKeepEverySerializer() {
    for (String setting :
        new String[] {
          "pekko.actor.provider = cluster",
          "pekko.actor.serialize-messages = on",
          "pekko.actor.serialize-creators = on"
        }) {
      Config c = ConfigFactory.parseString(setting).withFallback(ALL);
      assertSame(c, LocalSerializers.over(c), setting);
    }
  }

  @Test
  void aLocalSystemStartsAndSerializesWithTheBasicSet() {
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), "local-serializers", LocalSerializers.over(ALL));
    try {
      Serialization s = SerializationExtension.get(system);
      assertEquals("primitive-string", nameOf(s, "text"));
      assertEquals("bytes", nameOf(s, new byte[] {1}));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private static String nameOf(Serialization s, Object o) {
    String cls = s.findSerializerFor(o).getClass().getName();
    return cls.endsWith("StringSerializer")
        ? "primitive-string"
        : cls.endsWith("ByteArraySerializer") ? "bytes" : cls;
  }
}
