package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * A local actor system's serialization, made on first use instead of at start. Pekko starts its
 * serialization extension with every system ({@code pekko.library-extensions}) and it creates every
 * serializer its settings name: the remoting, cluster, distributed-data, cluster-tools,
 * typed-cluster, stream-ref and Jackson modules on Vitrail's class path (for its cluster mode) each
 * add theirs, about 900 classes loaded and a Jackson object mapper built, some 0.5 s of CPU at
 * every start (BENCHMARKS.md, Start-up), for a system whose messages never leave the process. A
 * local system that does not serialize its local messages ({@code pekko.actor.serialize-messages},
 * {@code serialize-creators}: test settings) leaves it out of the extensions loaded at start;
 * should anything ask for it, Pekko makes it then, with the same settings. Other systems keep the
 * list.
 */
final class LazySerialization {
  static final String LIBRARY_EXTENSIONS = "pekko.library-extensions";
  static final String SERIALIZATION = "org.apache.pekko.serialization.SerializationExtension$";

  private LazySerialization() {}

  /** {@code config} without serialization among the extensions loaded at start, as above. */
  static Config over(Config config) {
    if (!config.getString("pekko.actor.provider").equals("local")
        || config.getBoolean("pekko.actor.serialize-messages")
        || config.getBoolean("pekko.actor.serialize-creators")) {
      return config;
    }
    List<String> atStart =
        config.getStringList(LIBRARY_EXTENSIONS).stream()
            .filter(e -> !e.equals(SERIALIZATION))
            .toList();
    return config.withValue(LIBRARY_EXTENSIONS, ConfigValueFactory.fromIterable(atStart));
  }
}
