package dev.ocipin.pin;

import static dev.ocipin.pin.FakeRegistry.child;
import static dev.ocipin.pin.FakeRegistry.index;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.pin.CheckEntry.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnerTest {
  @TempDir Path dir;
  private final FakeRegistry registry = FakeRegistry.standard();

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private Pinner pinner() {
    return Pinner.builder(registry).build();
  }

  @Test
  void compose_rewritesOnlyTheValues_keepingCommentsQuotesAnchorsAndOrder() throws Exception {
    Path compose =
        write(
            "docker-compose.yml",
            "# the app\n"
                + "x-base: &base ruby:3.3.0-slim   # shared base\n"
                + "services:\n"
                + "  web:\n"
                + "    image: *base\n"
                + "    ports: [\"8080:80\"]\n"
                + "  worker:\n"
                + "    image: \"alpine:3.19\"\n"
                + "    command: ['sh', '-c', 'echo image: node:20']\n"
                + "  db:\n"
                + "    image: 'debian:bookworm'\n"
                + "  templated:\n"
                + "    image: ${REGISTRY}/app:${TAG:-latest}\n"
                + "  built:\n"
                + "    build: .\n");
    PinPlan plan = pinner().plan(List.of(compose));
    assertEquals(List.of(), plan.failures());
    plan.apply();
    assertEquals(
        "# the app\n"
            + "x-base: &base ruby:3.3.0-slim@"
            + index("a1")
            + "   # shared base\n"
            + "services:\n"
            + "  web:\n"
            + "    image: *base\n"
            + "    ports: [\"8080:80\"]\n"
            + "  worker:\n"
            + "    image: \"alpine:3.19@"
            + index("b1")
            + "\"\n"
            + "    command: ['sh', '-c', 'echo image: node:20']\n"
            + "  db:\n"
            + "    image: 'debian:bookworm@"
            + index("f2")
            + "'\n"
            + "  templated:\n"
            + "    image: ${REGISTRY}/app:${TAG:-latest}\n"
            + "  built:\n"
            + "    build: .\n",
        Files.readString(compose));
    assertEquals(3, plan.changes().size());
    assertTrue(plan.notes().toString().contains("templated"), plan.notes().toString());
  }

  @Test
  void kubernetes_multiDocument_containersAndInitContainers() throws Exception {
    Path k8s =
        write(
            "deploy.yaml",
            "apiVersion: apps/v1\n"
                + "kind: Deployment\n"
                + "spec:\n"
                + "  template:\n"
                + "    spec:\n"
                + "      initContainers:\n"
                + "        - name: init\n"
                + "          image: busybox:latest\n"
                + "      containers:\n"
                + "        - name: app\n"
                + "          image: ghcr.io/owner/tool:v1 # pinned by ocipin\n"
                + "          env: [{name: IMAGE, value: \"node:20\"}]\n"
                + "---\n"
                + "apiVersion: batch/v1\n"
                + "kind: CronJob\n"
                + "spec:\n"
                + "  jobTemplate:\n"
                + "    spec:\n"
                + "      template:\n"
                + "        spec:\n"
                + "          containers:\n"
                + "          - image: \"{{ .Values.image }}\"\n"
                + "          - image: alpine:3.19\r\n");
    PinPlan plan = pinner().plan(List.of(k8s));
    plan.apply();
    String out = Files.readString(k8s);
    assertTrue(out.contains("          image: busybox:latest@" + index("f1") + "\n"), out);
    assertTrue(
        out.contains(
            "          image: ghcr.io/owner/tool:v1@" + index("e1") + " # pinned by ocipin\n"),
        out);
    assertTrue(out.contains("value: \"node:20\"}]"), "only image: keys");
    assertTrue(out.contains("- image: \"{{ .Values.image }}\"\n"), out);
    assertTrue(out.contains("- image: alpine:3.19@" + index("b1") + "\r\n"), out);
    assertEquals(List.of(8, 11, 23), plan.changes().stream().map(PinChange::line).toList());
  }

  @Test
  void invalidYaml_leavesTheFileAlone() throws Exception {
    Path bad = write("compose.yaml", "services:\n  web:\n    image: ruby:3.3\n   bad: [\n");
    PinPlan plan = pinner().plan(List.of(bad));
    assertTrue(
        plan.failures().get(0).note().startsWith("not valid YAML"), plan.failures().toString());
    assertTrue(plan.isEmpty());
  }

  @Test
  void check_doesNotPassOnAFileItCouldNotRead() throws Exception {
    Path bad = write("compose.yaml", "services:\n  web:\n    image: ruby:3.3\n   bad: [\n");
    Path refused =
        write(
            "Dockerfile",
            "ARG BASE=alpine:3.19\nFROM $BASE\nFROM ${BASE}-extra\n"); // ARG used two ways
    CheckReport report = pinner().check(List.of(bad, refused));
    assertFalse(report.allCurrent());
    assertTrue(report.hasErrors());
    assertEquals(
        List.of(CheckEntry.Status.ERROR, CheckEntry.Status.ERROR),
        report.entries().stream().filter(e -> e.line() == 0).map(CheckEntry::status).toList(),
        report.toString());
    assertTrue(
        report.entries().stream().anyMatch(e -> e.detail().startsWith("not valid YAML")),
        report.toString());
  }

  @Test
  void check_reportsEachStatus_withHeadsOnlyForIndexPins() throws Exception {
    Path df =
        write(
            "Dockerfile",
            "FROM ruby:3.3.0-slim@"
                + index("a1")
                + "\n"
                + "FROM python:3.12@"
                + index("9b")
                + "\n"
                + "FROM alpine:3.19\n"
                + "FROM ruby:gone\n"
                + "FROM node:20@"
                + index("d1")
                + " AS n\n");
    CheckReport report = pinner().check(List.of(df));
    assertEquals(
        List.of(
            Status.PINNED_CURRENT,
            Status.DRIFTED,
            Status.UNPINNED,
            Status.NOT_FOUND,
            Status.PINNED_CURRENT),
        report.entries().stream().map(CheckEntry::status).toList());
    CheckEntry drifted = report.entries().get(1);
    assertEquals(index("9b"), drifted.pinned().orElseThrow());
    assertEquals(index("9a"), drifted.current().orElseThrow());
    assertTrue(drifted.detail().contains("tag moved from " + index("9b") + " to " + index("9a")));
    assertEquals(index("b1"), report.entries().get(2).current().orElseThrow());
    assertTrue(!report.allCurrent() && report.hasErrors());
    // One HEAD per tag, plus one for the old pin; only the drift needed a GET (of the new index).
    assertEquals(6, registry.heads.get());
    assertEquals(1, registry.gets.get());
  }

  @Test
  void check_currentIndexPins_spendNoPull() throws Exception {
    Path df =
        write(
            "Dockerfile",
            "FROM ruby:3.3.0-slim@" + index("a1") + "\nFROM alpine:3.19@" + index("b1") + "\n");
    CheckReport report = pinner().check(List.of(df));
    assertTrue(report.allCurrent());
    assertEquals(2, registry.heads.get());
    assertEquals(0, registry.gets.get(), "HEAD requests only");
  }

  @Test
  void check_perPlatformPin_isCurrentWhenInTheIndex() throws Exception {
    Path df = write("Dockerfile", "FROM python:3.12@" + child("9a", 1) + "\n");
    CheckReport report = pinner().check(List.of(df));
    assertEquals(Status.PINNED_CURRENT, report.entries().get(0).status());
  }

  @Test
  void plan_resolvesEachDistinctReferenceOnce() throws Exception {
    Path a = write("a/Dockerfile", "FROM alpine:3.19\nFROM alpine:3.19 AS two\n");
    Path b = write("b/Dockerfile", "FROM alpine:3.19\n");
    PinPlan plan = pinner().plan(List.of(a, b));
    assertEquals(3, plan.changes().size());
    assertEquals(1, registry.heads.get());
  }

  @Test
  void apply_keepsPermissions_andRefusesAFileChangedSincePlanning() throws Exception {
    Path df = write("Dockerfile", "FROM alpine:3.19\n");
    Files.setPosixFilePermissions(df, PosixFilePermissions.fromString("rwxr-x---"));
    PinPlan plan = pinner().plan(List.of(df));
    plan.apply();
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(df)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(df), files.toList(), "no temporary file left behind");
    }

    Path other = write("other/Dockerfile", "FROM ruby:3.3.0-slim\n");
    PinPlan stale = pinner().plan(List.of(other));
    Files.writeString(other, "FROM ruby:3.3.0-slim\nRUN edited\n");
    IOException e = assertThrows(IOException.class, stale::apply);
    assertTrue(e.getMessage().contains("changed since the plan was made"));
    assertEquals("FROM ruby:3.3.0-slim\nRUN edited\n", Files.readString(other));
  }

  @Test
  void diff_isUnified() throws Exception {
    Path df =
        write(
            "Dockerfile",
            "# syntax=docker/dockerfile:1\nFROM alpine:3.19\nRUN a\nRUN b\nRUN c\nRUN d\nRUN e\n");
    String diff = pinner().plan(List.of(df)).diff();
    assertEquals(
        "--- a/"
            + df
            + "\n"
            + "+++ b/"
            + df
            + "\n"
            + "@@ -1,5 +1,5 @@\n"
            + " # syntax=docker/dockerfile:1\n"
            + "-FROM alpine:3.19\n"
            + "+FROM alpine:3.19@"
            + index("b1")
            + "\n"
            + " RUN a\n"
            + " RUN b\n"
            + " RUN c\n",
        diff);
  }

  @Test
  void failureInOneFile_leavesThatFileAlone_otherFilesStillPinned() throws Exception {
    Path bad = write("bad/Dockerfile", "FROM alpine:3.19\nFROM nope/nothing:1\n");
    Path good = write("good/Dockerfile", "FROM alpine:3.19\n");
    PinPlan plan = pinner().plan(List.of(bad, good));
    plan.apply();
    assertEquals("FROM alpine:3.19\nFROM nope/nothing:1\n", Files.readString(bad));
    assertEquals("FROM alpine:3.19@" + index("b1") + "\n", Files.readString(good));
    assertEquals(bad, plan.failures().get(0).file());
  }

  @Test
  void notUtf8_isAFailure() throws Exception {
    Path df = dir.resolve("Dockerfile");
    Files.write(df, new byte[] {'F', 'R', 'O', 'M', ' ', (byte) 0xff, '\n'});
    assertEquals(
        "not UTF-8 text; left untouched", pinner().plan(List.of(df)).failures().get(0).note());
  }

  @Test
  void findFiles_findsDockerfilesComposeAndKubernetes() throws Exception {
    write("Dockerfile", "FROM a\n");
    write("svc/Dockerfile.dev", "FROM a\n");
    write("svc/app.dockerfile", "FROM a\n");
    write("compose.yaml", "services: {}\n");
    write("ops/docker-compose.prod.yml", "services: {}\n");
    write("k8s/deploy.yaml", "apiVersion: v1\nkind: Pod\n");
    write("k8s/values.yaml", "image: x\n");
    write(".git/Dockerfile", "FROM a\n");
    write("node_modules/x/Dockerfile", "FROM a\n");
    write("README.md", "FROM a\n");
    assertEquals(
        List.of(
            dir.resolve("Dockerfile"),
            dir.resolve("compose.yaml"),
            dir.resolve("k8s/deploy.yaml"),
            dir.resolve("ops/docker-compose.prod.yml"),
            dir.resolve("svc/Dockerfile.dev"),
            dir.resolve("svc/app.dockerfile")),
        PinFiles.find(dir));
  }

  @Test
  void summaries_countPinnedAlreadyPinnedSkippedByReasonAndFailed() throws Exception {
    Path df =
        write(
            "Dockerfile",
            "FROM alpine:3.19 AS build\n"
                + "FROM ruby:3.3.0-slim@"
                + FakeRegistry.index("a1")
                + "\nCOPY --from=build /a /a\nFROM scratch\n");
    PinPlan plan = pinner().plan(List.of(df));
    assertEquals(
        "1 pinned, 1 already pinned, 2 skipped (1 build stage, 1 scratch), 0 failed",
        plan.summary());
    plan.apply();
    assertEquals(
        "2 of 2 references pinned and current, 2 skipped (1 build stage, 1 scratch)",
        pinner().check(List.of(df)).summary());
  }
}
