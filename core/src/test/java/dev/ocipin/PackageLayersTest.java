package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package layering of ocipin-core and ocipin-auth, read from the compiled classes'
 * constant pools (every class a class names, in code or in a signature):
 *
 * <ul>
 *   <li>an internal package depends on no API package of its own module (core's internals may use
 *       the auth module's API, a lower layer);
 *   <li>{@code dev.ocipin.auth.internal} is a leaf: it depends on no other ocipin package;
 *   <li>the only cycle is the one the public API needs: {@code dev.ocipin}, {@code model} and
 *       {@code registry}.
 * </ul>
 */
class PackageLayersTest {
  private static final Pattern CLASS_NAME =
      Pattern.compile("dev/ocipin/((?:[a-z0-9_]+/)*)[A-Za-z0-9_$]+");
  private static final Set<String> ALLOWED_CYCLE =
      Set.of("dev.ocipin", "dev.ocipin.model", "dev.ocipin.registry");

  /** Package to the ocipin packages it depends on, for both modules. */
  private static final Map<String, Set<String>> GRAPH = new TreeMap<>();

  @BeforeAll
  static void readClasses() throws Exception {
    for (Class<?> anchor : List.of(Digest.class, Credential.class)) {
      ModuleReference ref = ApiSurfaceTest.module(anchor);
      try (ModuleReader reader = ref.open()) {
        for (String name : (Iterable<String>) reader.list()::iterator) {
          if (!name.endsWith(".class") || name.equals("module-info.class")) {
            continue;
          }
          String pkg = packageOf(name.substring(0, name.length() - ".class".length()));
          Optional<java.nio.ByteBuffer> bytes = reader.read(name);
          byte[] b = new byte[bytes.orElseThrow().remaining()];
          bytes.get().get(b);
          reader.release(bytes.get());
          Set<String> deps = GRAPH.computeIfAbsent(pkg, k -> new TreeSet<>());
          for (String referenced : utf8Constants(b)) {
            Matcher m = CLASS_NAME.matcher(referenced);
            while (m.find()) {
              String dep = packageOf(m.group());
              if (!dep.equals(pkg)) {
                deps.add(dep);
              }
            }
          }
        }
      }
    }
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return internalName.substring(0, slash).replace('/', '.');
  }

  private static boolean isInternal(String pkg) {
    return pkg.contains(".internal");
  }

  private static String moduleOf(String pkg) {
    return pkg.startsWith("dev.ocipin.auth") ? "auth" : "core";
  }

  @Test
  void theGraphWasRead() {
    assertTrue(
        GRAPH
            .keySet()
            .containsAll(
                Set.of(
                    "dev.ocipin",
                    "dev.ocipin.registry",
                    "dev.ocipin.internal.http",
                    "dev.ocipin.auth",
                    "dev.ocipin.auth.internal")),
        GRAPH.toString());
    assertTrue(GRAPH.get("dev.ocipin.registry").contains("dev.ocipin.internal.http"));
  }

  @Test
  void internalPackages_dependOnNoApiPackageOfTheirModule() {
    List<String> wrong = new ArrayList<>();
    GRAPH.forEach(
        (pkg, deps) -> {
          if (!isInternal(pkg)) {
            return;
          }
          for (String dep : deps) {
            if (!isInternal(dep) && moduleOf(dep).equals(moduleOf(pkg))) {
              wrong.add(pkg + " -> " + dep);
            }
          }
        });
    assertEquals(List.of(), wrong);
  }

  @Test
  void authInternal_isALeaf() {
    assertEquals(Set.of(), GRAPH.get("dev.ocipin.auth.internal"));
  }

  @Test
  void theOnlyCycle_isTheOneThePublicApiNeeds() {
    List<Set<String>> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnected()) {
      if (component.size() > 1) {
        cycles.add(component);
      }
    }
    assertEquals(List.of(new TreeSet<>(ALLOWED_CYCLE)), cycles);
  }

  /** Tarjan's algorithm over {@link #GRAPH}. */
  private static List<Set<String>> stronglyConnected() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : GRAPH.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : GRAPH.getOrDefault(v, Set.of())) {
      if (!GRAPH.containsKey(w)) {
        continue;
      }
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }

  /** The UTF-8 entries of a class file's constant pool: class names and descriptors among them. */
  static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.add(in.readUTF());
        case 3, 4 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // long and double take two slots
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return out;
  }
}
