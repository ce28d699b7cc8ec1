package dev.ocipin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocipin.ResolvedIndex;
import dev.ocipin.model.Descriptor;
import dev.ocipin.pin.PinChange;
import dev.ocipin.pin.PinNote;
import dev.ocipin.pin.PinPlan;
import java.io.IOException;
import java.util.List;

/** The command line's JSON output. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String write(ObjectNode n) throws IOException {
    return MAPPER.writeValueAsString(n);
  }

  /** The plan of {@code ocipin pin}: its changes, notes and failures. */
  static ObjectNode plan(PinPlan plan, boolean applied) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("applied", applied);
    ArrayNode changes = n.putArray("changes");
    for (PinChange c : plan.changes()) {
      ObjectNode j = changes.addObject();
      j.put("file", c.file().toString());
      j.put("line", c.line());
      j.put("old", c.oldText());
      j.put("new", c.newText());
      j.put("reason", c.reason());
    }
    n.set("notes", notes(plan.notes()));
    n.set("failures", notes(plan.failures()));
    return n;
  }

  private static ArrayNode notes(List<PinNote> notes) {
    ArrayNode a = MAPPER.createArrayNode();
    for (PinNote note : notes) {
      ObjectNode j = a.addObject();
      j.put("file", note.file().toString());
      j.put("line", note.line());
      j.put("reference", note.reference());
      j.put("kind", note.kind().name());
      j.put("note", note.note());
    }
    return a;
  }

  static ObjectNode index(ResolvedIndex idx) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("reference", idx.reference().toString());
    n.put("mediaType", idx.mediaType().toString());
    n.put("digest", idx.digest().toString());
    n.put("size", idx.size());
    n.put("isIndex", idx.isIndex());
    n.put("images", idx.images().size());
    n.put("attestations", idx.attestations().size());
    n.put("pinned", idx.pinned().toString());
    ArrayNode manifests = n.putArray("manifests");
    for (Descriptor d : idx.manifests()) {
      ObjectNode m = manifests.addObject();
      m.put("mediaType", d.mediaType().toString());
      m.put("digest", d.digest().toString());
      m.put("size", d.size());
      d.platform().ifPresent(p -> m.put("platform", p.toString()));
      m.put("attestation", d.isAttestation());
      d.attestedDigest().ifPresent(a -> m.put("attests", a.toString()));
    }
    return n;
  }
}
