package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.vlm.VlmResult;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The JSON answer of {@code /v1/vlm/encode}. */
final class VlmResponses {
  private VlmResponses() {}

  /** The answer: one item per result in input order, and the tokens used. */
  static HttpResponse list(String model, List<VlmResult> results) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    long tokens = 0;
    for (int i = 0; i < results.size(); i++) {
      data.add(item(i, results.get(i)));
      tokens += results.get(i).tokens();
    }
    body.put("model", model);
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  /** The JSON of one result. */
  static ObjectNode item(int index, VlmResult r) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("object", "vlm.encoding");
    n.put("index", index);
    r.describe(n);
    if (r.contentPart() != null) {
      n.set("content_part", r.contentPart());
    }
    return n;
  }
}
