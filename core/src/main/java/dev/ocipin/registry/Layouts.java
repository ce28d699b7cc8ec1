package dev.ocipin.registry;

import dev.ocipin.ImageReference;
import dev.ocipin.auth.internal.Hosts;
import dev.ocipin.internal.http.Futures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Which references are answered from OCI image layouts instead of registries: {@code
 * oci-layout://PATH[:TAG][@DIGEST]} references always; registry references when a layout stands in
 * for their registry (a layout mirror) or for every registry (a layout source). A layout that lacks
 * the image answers "not found", and the registry is asked only when the caller said so, since a
 * layout mirror is usually there because the network is not.
 *
 * <p>Immutable and thread-safe. Files are read on the calling thread; they are local.
 */
final class Layouts {
  /** The key of a layout that stands in for every registry. */
  static final String EVERY_REGISTRY = "*";

  private final Map<String, String> mirrors;
  private final boolean fallBack;

  /**
   * @param mirrors layout directories by canonical registry name, or {@link #EVERY_REGISTRY}
   * @param fallBack whether a reference missing from its layout mirror goes to its registry
   */
  Layouts(Map<String, String> mirrors, boolean fallBack) {
    this.mirrors = Map.copyOf(mirrors);
    this.fallBack = fallBack;
  }

  /** The layout directory that answers {@code ref}, if a layout does. */
  Optional<String> layoutFor(ImageReference ref) {
    if (ref.isLayout()) {
      return ref.layoutPath();
    }
    String m = mirrors.get(Hosts.canonical(ref.registry()));
    return Optional.ofNullable(m != null ? m : mirrors.get(EVERY_REGISTRY));
  }

  /**
   * Answers {@code ref} from its layout with {@code read}, or returns {@code registry}'s answer
   * when no layout stands in for it, or when the layout lacks the image and falling back was asked
   * for.
   */
  <T> CompletableFuture<T> answer(
      ImageReference ref, LayoutRead<T> read, Supplier<CompletableFuture<T>> registry) {
    Optional<String> dir = layoutFor(ref);
    if (dir.isEmpty()) {
      return registry.get();
    }
    CompletableFuture<T> fromLayout;
    try {
      fromLayout = CompletableFuture.completedFuture(read.read(OciLayout.open(Path.of(dir.get()))));
    } catch (IOException | RuntimeException e) {
      fromLayout = CompletableFuture.failedFuture(e);
    }
    if (ref.isLayout() || !fallBack) {
      return fromLayout;
    }
    return fromLayout
        .handle(
            (v, e) ->
                e == null
                    ? CompletableFuture.completedFuture(v)
                    : Futures.unwrap(e) instanceof ManifestNotFoundException
                        ? registry.get()
                        : CompletableFuture.<T>failedFuture(Futures.unwrap(e)))
        .thenCompose(f -> f);
  }

  /** Reads something from an open layout. */
  @FunctionalInterface
  interface LayoutRead<T> {
    T read(OciLayout layout) throws IOException;
  }
}
