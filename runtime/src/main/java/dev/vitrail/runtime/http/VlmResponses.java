package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.vlm.VlmResult;

/** The JSON of one {@code /v1/vlm/encode} result. */
final class VlmResponses {
  private VlmResponses() {}

  static ObjectNode item(int index, VlmResult r) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("object", "vlm.encoding");
    n.put("index", index);
    n.put("uuid", r.key());
    var grid = n.putArray("image_grid_thw");
    for (int g : r.gridThw()) {
      grid.add(g);
    }
    n.put("num_tokens", r.tokens());
    n.put("hidden_size", r.hidden());
    n.put("dtype", r.dtype().label());
    n.put("cached", r.cached());
    if (r.file() != null) {
      n.put("ec_path", r.file().toString());
    }
    if (r.contentPart() != null) {
      n.set("content_part", r.contentPart());
    }
    return n;
  }
}
