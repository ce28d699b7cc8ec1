package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a public signature in an exported package names a type users cannot or
 * should not see: an internal package, Jackson, Immutables, or a generated {@code Immutable*}
 * class; and when a public method returns {@code @Nullable}, since absent values are Optional.
 * Checks ocipin-core and ocipin-auth from their module descriptors.
 */
class ApiSurfaceTest {

  @Test
  void exportedPackages_areExactlyTheApi() throws Exception {
    assertEquals(
        Set.of(
            "dev.ocipin",
            "dev.ocipin.model",
            "dev.ocipin.registry",
            "dev.ocipin.pin",
            "dev.ocipin.lock"),
        unqualifiedExports(module(Digest.class)));
    assertEquals(Set.of("dev.ocipin.auth"), unqualifiedExports(module(Credential.class)));
  }

  @Test
  void publicSignatures_useOnlyJdkAndApiTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    Set<String> api = new HashSet<>();
    List<ModuleReference> modules = List.of(module(Digest.class), module(Credential.class));
    for (ModuleReference m : modules) {
      api.addAll(unqualifiedExports(m));
    }
    int checked = 0;
    for (ModuleReference m : modules) {
      for (String className : classesIn(m, unqualifiedExports(m))) {
        Class<?> c = Class.forName(className, false, getClass().getClassLoader());
        if (!accessible(c)) {
          continue;
        }
        checked++;
        check(c.getGenericSuperclass(), c.getName() + " superclass", api, leaks, true);
        for (Type t : c.getGenericInterfaces()) {
          check(t, c.getName() + " implements", api, leaks, false);
        }
        for (Field f : c.getFields()) {
          check(f.getGenericType(), c.getName() + "." + f.getName(), api, leaks, false);
        }
        for (Method method : c.getMethods()) {
          checkExecutable(method, c, api, leaks);
          check(method.getGenericReturnType(), where(c, method), api, leaks, false);
          // Absent values are Optional, never null (DESIGN.md).
          if (method.getAnnotatedReturnType().isAnnotationPresent(Nullable.class)) {
            leaks.add(where(c, method) + " returns @Nullable; return Optional instead");
          }
        }
        for (Constructor<?> ctor : c.getConstructors()) {
          checkExecutable(ctor, c, api, leaks);
        }
      }
    }
    assertTrue(checked > 10, "found the API classes (" + checked + ")");
    assertEquals(List.of(), leaks, "types leaking into the public API");
  }

  private static String where(Class<?> c, Executable e) {
    return c.getName() + "." + e.getName();
  }

  private static void checkExecutable(
      Executable e, Class<?> c, Set<String> api, List<String> leaks) {
    for (Type t : e.getGenericParameterTypes()) {
      check(t, where(c, e) + " parameter", api, leaks, false);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(t, where(c, e) + " throws", api, leaks, false);
    }
  }

  private static void check(
      Type type, String where, Set<String> api, List<String> leaks, boolean superclass) {
    if (type == null) {
      return;
    }
    if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      check(p.getRawType(), where, api, leaks, superclass);
      for (Type arg : p.getActualTypeArguments()) {
        check(arg, where, api, leaks, false);
      }
    } else if (type instanceof GenericArrayType) {
      check(((GenericArrayType) type).getGenericComponentType(), where, api, leaks, false);
    } else if (type instanceof WildcardType) {
      for (Type b : ((WildcardType) type).getUpperBounds()) {
        check(b, where, api, leaks, false);
      }
      for (Type b : ((WildcardType) type).getLowerBounds()) {
        check(b, where, api, leaks, false);
      }
    } else if (type instanceof TypeVariable) {
      return;
    } else if (type instanceof Class) {
      Class<?> c = (Class<?>) type;
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive()
          || c.getPackageName().startsWith("java.")
          || c.getPackageName().startsWith("javax.")) {
        return;
      }
      // A generated builder's hidden superclass is not something users can name.
      if (superclass && !accessible(c)) {
        return;
      }
      if (!api.contains(c.getPackageName())
          || c.getSimpleName().startsWith("Immutable")
          || !accessible(c)) {
        leaks.add(where + " → " + c.getName());
      }
    }
  }

  private static boolean accessible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  /** Returns the module (a directory or a jar) that holds {@code anyClass}. */
  static ModuleReference module(Class<?> anyClass) throws URISyntaxException {
    Path location = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<ModuleReference> found = ModuleFinder.of(location).findAll();
    assertEquals(1, found.size(), "one module at " + location);
    return found.iterator().next();
  }

  private static Set<String> unqualifiedExports(ModuleReference m) {
    return m.descriptor().exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> classesIn(ModuleReference m, Set<String> packages)
      throws IOException {
    try (ModuleReader reader = m.open()) {
      return reader
          .list()
          .filter(r -> r.endsWith(".class") && !r.endsWith("module-info.class"))
          .map(r -> r.substring(0, r.length() - ".class".length()).replace('/', '.'))
          .filter(n -> packages.contains(n.substring(0, n.lastIndexOf('.'))))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
