package dev.ocipin.pin;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes digests into file text: the new text of each reference in the chosen {@link ReferenceForm}
 * (a tagless reference gains {@code :latest} unless kept bare; a tag-only or literal-end site gains
 * only the digest), and the edits applied from the last to the first.
 */
final class Rewriter {
  private final ReferenceForm form;
  private final boolean bareTagless;

  Rewriter(ReferenceForm form, boolean bareTagless) {
    this.form = form;
    this.bareTagless = bareTagless;
  }

  /** One rewrite: the change as reported, and the span of the file text it replaces. */
  record Edit(PinChange change, int start, int end) {}

  /** The edit that writes {@code digest} for {@code site}, with the reason to report. */
  Edit edit(Path file, Site site, ImageReference ref, Digest digest, String reason) {
    String newText = written(site, ref, digest);
    return new Edit(
        new PinChange(file, site.line(), site.written(), newText, reason),
        site.at().start(),
        site.at().end());
  }

  /** The reference with its new digest, in the chosen form. */
  String written(Site site, ImageReference ref, Digest digest) {
    // A reference without a tag resolves "latest"; writing the tag keeps drift detectable, since
    // a bare name@digest says nothing about what to compare it with.
    if (site.appendOnly()) {
      // The text is a tag (an ARG default) or a literal end after variables: only the digest is
      // written, whatever the form, since the rest of the reference lives elsewhere.
      String w = site.written();
      int at = w.indexOf('@');
      return (at < 0 ? w : w.substring(0, at)) + "@" + digest;
    }
    boolean addLatest = ref.tag().isEmpty() && !bareTagless;
    ImageReference tagged =
        addLatest ? ImageReference.parse(ref.name() + ":" + ImageReference.DEFAULT_TAG) : ref;
    switch (form) {
      case FAMILIAR:
        return tagged.withDigest(digest).familiar();
      case CANONICAL:
        return tagged.withDigest(digest).toString();
      default:
        String w = site.written();
        int at = w.indexOf('@');
        String name = at < 0 ? w : w.substring(0, at);
        return name + (addLatest ? ":" + ImageReference.DEFAULT_TAG : "") + "@" + digest;
    }
  }

  /** Applies the edits from the last to the first, so earlier offsets stay valid. */
  static String apply(String text, List<Edit> edits) {
    List<Edit> ordered = new ArrayList<>(edits);
    ordered.sort(Comparator.comparingInt(Edit::start).reversed());
    StringBuilder sb = new StringBuilder(text);
    for (Edit e : ordered) {
      sb.replace(e.start(), e.end(), e.change().newText());
    }
    return sb.toString();
  }
}
