package dev.vitrail.runtime.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code vitrail.models} list: the models one server serves, each a directory, an optional name
 * and optional {@code settings} that override the {@code vitrail.*} runtime settings for that model
 * only (its workers, batch, in-flight limit, ...), e.g. {@code {dir = "models/clip", name = "clip",
 * settings { workers.count = 2, admission.max-in-flight-items = 32 }}}.
 */
public final class ModelList {
  private ModelList() {}

  /**
   * One model to serve.
   *
   * @param dir its directory
   * @param name the name clients use, or null for the directory's name
   * @param config the runtime settings for it: its overrides over the base settings
   */
  public record Spec(Path dir, String name, Config config) {}

  /** The models of {@code config}'s {@code vitrail.models} (empty when none are listed). */
  public static List<Spec> from(Config config) {
    List<Spec> out = new ArrayList<>();
    if (!config.hasPath("vitrail.models")) {
      return out;
    }
    List<? extends Config> entries;
    try {
      entries = config.getConfigList("vitrail.models");
    } catch (ConfigException e) {
      throw new InvalidSettingsException("vitrail.models: " + e.getMessage(), e);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Config e = entries.get(i);
      String where = "vitrail.models[" + i + "]";
      if (!e.hasPath("dir")) {
        throw new InvalidSettingsException(where + ".dir", "the model directory", "nothing");
      }
      for (String key : e.root().keySet()) {
        if (!Set.of("dir", "name", "settings").contains(key)) {
          throw new InvalidSettingsException(where, "only dir, name and settings", key);
        }
      }
      Path dir = Path.of(e.getString("dir"));
      String name = e.hasPath("name") ? e.getString("name") : null;
      String served =
          name != null ? name : dir.toAbsolutePath().normalize().getFileName().toString();
      if (!names.add(served)) {
        throw new InvalidSettingsException(where + ".name", "a name no other model has", served);
      }
      Config own =
          e.hasPath("settings")
              ? e.getConfig("settings").atPath("vitrail").withFallback(config)
              : config;
      out.add(new Spec(dir, name, own));
    }
    return out;
  }

  /** {@link #from} of the settings loaded from application.conf and the environment. */
  public static List<Spec> load() {
    return from(ConfigFactory.load());
  }
}
