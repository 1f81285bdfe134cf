package dev.vitrail.encoders.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/**
 * The weights of a HuggingFace model directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}; every file memory-mapped, nothing read until used.
 */
public final class Checkpoint implements AutoCloseable {
  /** The single-file weights name. */
  public static final String SINGLE = "model.safetensors";

  /** The sharded weights index name. */
  public static final String INDEX = "model.safetensors.index.json";

  private final Map<String, SafetensorsFile> files; // by file name
  private final Map<String, SafetensorsFile> byKey;

  private Checkpoint(Map<String, SafetensorsFile> files, Map<String, SafetensorsFile> byKey) {
    this.files = files;
    this.byKey = Collections.unmodifiableMap(byKey);
  }

  /** Opens a model directory (single file or sharded index) or one {@code .safetensors} file. */
  public static Checkpoint open(Path dirOrFile) {
    if (!Files.isDirectory(dirOrFile)) {
      if (!Files.isRegularFile(dirOrFile)) {
        throw new CheckpointException("no checkpoint at " + dirOrFile);
      }
      return openFiles(Map.of(dirOrFile.getFileName().toString(), dirOrFile), null);
    }
    Path single = dirOrFile.resolve(SINGLE);
    if (Files.isRegularFile(single)) {
      return openFiles(Map.of(SINGLE, single), null);
    }
    Path index = dirOrFile.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      return openIndex(dirOrFile, index);
    }
    throw new CheckpointException("no " + SINGLE + " or " + INDEX + " in " + dirOrFile);
  }

  private static Checkpoint openIndex(Path dir, Path index) {
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(Files.readString(index)).get("weight_map");
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
    }
    if (map == null || !map.isObject()) {
      throw new CheckpointException(index + " has no weight_map object");
    }
    Map<String, String> keyToFile = new LinkedHashMap<>();
    Map<String, Path> shards = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String shard = e.getValue().asText();
      Path p = dir.resolve(shard).normalize();
      if (!p.startsWith(dir.normalize()) || !Files.isRegularFile(p)) {
        throw new CheckpointException(
            index
                + " names shard '"
                + shard
                + "' for '"
                + e.getKey()
                + "', which is not a file in "
                + dir);
      }
      keyToFile.put(e.getKey(), shard);
      shards.put(shard, p);
    }
    return openFiles(shards, keyToFile);
  }

  private static Checkpoint openFiles(Map<String, Path> paths, Map<String, String> keyToFile) {
    Map<String, SafetensorsFile> files = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Path> p : paths.entrySet()) {
        files.put(p.getKey(), SafetensorsFile.open(p.getValue()));
      }
      Map<String, SafetensorsFile> byKey = new LinkedHashMap<>();
      for (SafetensorsFile f : files.values()) {
        for (String key : f.header().entries().keySet()) {
          byKey.put(key, f);
        }
      }
      if (keyToFile != null) {
        for (Map.Entry<String, String> e : keyToFile.entrySet()) {
          SafetensorsFile f = byKey.get(e.getKey());
          if (f == null || f != files.get(e.getValue())) {
            throw new CheckpointException(
                "index lists '"
                    + e.getKey()
                    + "' in shard '"
                    + e.getValue()
                    + "', but that shard has no such tensor");
          }
        }
      }
      return new Checkpoint(files, byKey);
    } catch (RuntimeException e) {
      files.values().forEach(SafetensorsFile::close);
      throw e;
    }
  }

  /** All tensor names in the checkpoint. */
  public Set<String> keys() {
    return byKey.keySet();
  }

  /** The header entry of a tensor, or null when absent. */
  public SafetensorsHeader.Entry entry(String key) {
    SafetensorsFile f = byKey.get(key);
    return f == null ? null : f.header().entries().get(key);
  }

  /** A view of a stored tensor (stored dtype), created in the caller's scope. */
  public Tensor view(String key) {
    SafetensorsFile f = byKey.get(key);
    if (f == null) {
      throw new CheckpointException("checkpoint has no tensor '" + key + "'");
    }
    return f.view(key);
  }

  /** Total bytes of the stored tensors whose names start with {@code prefix}. */
  public long bytes(String prefix) {
    long total = 0;
    for (String key : byKey.keySet()) {
      if (key.startsWith(prefix)) {
        SafetensorsHeader.Entry e = entry(key);
        total += e.end() - e.begin();
      }
    }
    return total;
  }

  /** Unmaps the files (views still alive keep their mapping). */
  @Override
  public void close() {
    files.values().forEach(SafetensorsFile::close);
  }
}
