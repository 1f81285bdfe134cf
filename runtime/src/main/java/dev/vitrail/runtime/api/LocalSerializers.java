package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The serializers of a local actor system. Pekko creates every serializer its settings name when a
 * system starts, and the remoting, cluster, distributed-data, cluster-tools, typed-cluster,
 * stream-ref and Jackson modules on Vitrail's class path (for its cluster mode) each add theirs:
 * about 650 classes loaded and a Jackson object mapper built, some 0.5 s of CPU at every start
 * (BENCHMARKS.md, Start-up), for a system whose messages never leave the process. A local system
 * keeps Pekko's own basic serializers ({@code org.apache.pekko.serialization}: Java, bytes,
 * primitives) and any of the application's, with their bindings; a system that is not local, or
 * that serializes its local messages ({@code pekko.actor.serialize-messages} or {@code
 * serialize-creators}, a test setting), keeps them all.
 */
final class LocalSerializers {
  static final String SERIALIZERS = "pekko.actor.serializers";
  static final String BINDINGS = "pekko.actor.serialization-bindings";

  private LocalSerializers() {}

  /** {@code config} with only the serializers a local system can use, as above. */
  static Config over(Config config) {
    if (!config.getString("pekko.actor.provider").equals("local")
        || config.getBoolean("pekko.actor.serialize-messages")
        || config.getBoolean("pekko.actor.serialize-creators")) {
      return config;
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getObject(SERIALIZERS).entrySet()) {
      String serializer = String.valueOf(e.getValue().unwrapped());
      if (local(serializer)) {
        kept.put(e.getKey(), serializer);
      }
    }
    return config
        .withoutPath(SERIALIZERS)
        .withValue(SERIALIZERS, ConfigValueFactory.fromMap(kept))
        .withoutPath(BINDINGS)
        .withValue(BINDINGS, bindingsTo(config.getObject(BINDINGS), kept.keySet()));
  }

  /** Whether a serializer class is Pekko's basic one or the application's own. */
  static boolean local(String serializerClass) {
    return !serializerClass.startsWith("org.apache.pekko.")
        || (serializerClass.startsWith("org.apache.pekko.serialization.")
            && !serializerClass.startsWith("org.apache.pekko.serialization.jackson."));
  }

  private static ConfigValue bindingsTo(ConfigObject bindings, Set<String> serializers) {
    Map<String, Object> kept = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : bindings.entrySet()) {
      String serializer = String.valueOf(e.getValue().unwrapped());
      if (serializers.contains(serializer) || serializer.equals("none")) { // "none": not bound
        kept.put(e.getKey(), serializer);
      }
    }
    return ConfigValueFactory.fromMap(kept);
  }
}
