package dev.vitrail.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code vitrail.*} settings as they resolve on this machine (reference.conf, application.conf,
 * {@code -D} flags, environment), as a resource bundle, so that {@code --help} shows real default
 * values ({@code ${bundle:vitrail.workers.count}}) rather than key names. Settings that cannot be
 * read fall back to the reference defaults; the command itself still reports them.
 */
final class SettingsBundle extends ResourceBundle {
  private final Map<String, String> values = new TreeMap<>();

  SettingsBundle() {
    Config config;
    try {
      ConfigFactory.invalidateCaches();
      config = ConfigFactory.load();
    } catch (RuntimeException e) {
      config = ConfigFactory.defaultReference();
    }
    for (var e : config.getConfig("vitrail").entrySet()) {
      Object v = e.getValue().unwrapped();
      String text =
          e.getValue().valueType() == ConfigValueType.LIST
              ? ((java.util.List<?>) v)
                  .stream().map(String::valueOf).collect(Collectors.joining(","))
              : String.valueOf(v);
      values.put("vitrail." + e.getKey(), text.isEmpty() ? "none" : text);
    }
  }

  @Override
  protected Object handleGetObject(String key) {
    return values.get(key);
  }

  @Override
  public Enumeration<String> getKeys() {
    return Collections.enumeration(values.keySet());
  }
}
