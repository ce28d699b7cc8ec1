package dev.ocipin.pin;

import static dev.ocipin.pin.FakeRegistry.index;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images where real projects keep them besides Dockerfiles: GitHub Actions workflows, GitLab CI,
 * compose files that build their own images and merge defaults many times, and Kubernetes files
 * that also hold configuration. The fixtures follow the shapes of public projects' files (noted
 * with each), written for these tests.
 */
class CiAndComposeFilesTest {
  @TempDir Path dir;
  private final FakeRegistry registry = FakeRegistry.standard();

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private PinPlan pin(Path file) throws IOException {
    PinPlan plan = Pinner.builder(registry).build().plan(List.of(file));
    plan.apply();
    return plan;
  }

  private static String kinds(PinPlan plan) {
    return plan.notes().stream()
        .map(n -> n.line() + " " + n.kind())
        .collect(Collectors.joining(", "));
  }

  /** The shape of a Node project's CI: a job container, a service, a docker:// step. */
  @Test
  void githubActionsWorkflow_containerServicesAndDockerSteps() throws Exception {
    Path wf =
        write(
            ".github/workflows/ci.yml",
            String.join(
                "\n",
                "name: ci",
                "on: [push, pull_request]",
                "jobs:",
                "  test:",
                "    runs-on: ubuntu-latest",
                "    container: node:20",
                "    services:",
                "      db:",
                "        image: \"debian:bookworm\"",
                "        ports: [\"5432:5432\"]",
                "    steps:",
                "      - uses: actions/checkout@v4",
                "      - uses: docker://alpine:3.19",
                "        with:",
                "          args: echo hi",
                "  build:",
                "    runs-on: ubuntu-latest",
                "    container:",
                "      image: golang:1.22",
                "      options: --user 1001",
                ""));
    PinPlan plan = pin(wf);
    assertEquals(List.of(), plan.failures());
    String out = Files.readString(wf);
    assertTrue(out.contains("    container: node:20@" + index("d1") + "\n"), out);
    assertTrue(out.contains("        image: \"debian:bookworm@" + index("f2") + "\"\n"), out);
    assertTrue(out.contains("      - uses: docker://alpine:3.19@" + index("b1") + "\n"), out);
    assertTrue(out.contains("      - uses: actions/checkout@v4\n"), out);
    assertTrue(out.contains("      image: golang:1.22@" + index("c1") + "\n"), out);
    assertEquals(4, plan.changes().size());
    assertEquals(List.of(wf), PinFiles.find(dir));
  }

  /** The shape of a GitLab project's .gitlab-ci.yml: a default image, services, a job image. */
  @Test
  void gitlabCi_imagesServicesAndNamedImages() throws Exception {
    Path ci =
        write(
            ".gitlab-ci.yml",
            String.join(
                "\n",
                "image: ruby:3.3",
                "services:",
                "  - debian:bookworm",
                "  - name: alpine:3.19",
                "    alias: cache",
                "test:",
                "  image:",
                "    name: golang:1.22",
                "    entrypoint: [\"\"]",
                "  script: [go test ./...]",
                ""));
    PinPlan plan = pin(ci);
    assertEquals(List.of(), plan.failures());
    assertEquals(
        String.join(
            "\n",
            "image: ruby:3.3@" + index("a2"),
            "services:",
            "  - debian:bookworm@" + index("f2"),
            "  - name: alpine:3.19@" + index("b1"),
            "    alias: cache",
            "test:",
            "  image:",
            "    name: golang:1.22@" + index("c1"),
            "    entrypoint: [\"\"]",
            "  script: [go test ./...]",
            ""),
        Files.readString(ci));
    assertEquals(List.of(ci), PinFiles.find(dir));
  }

  /**
   * The shape of a self-hosted stack's compose file: a service built here, and many services
   * merging shared defaults (large stacks use more than a hundred merges).
   */
  @Test
  void compose_builtServiceIsNoted_andManyMergesAreAccepted() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "x-defaults: &defaults\n  restart: unless-stopped\nservices:\n"
                + "  app:\n    build: .\n    image: ghcr.io/owner/app:dev\n");
    for (int i = 0; i < 120; i++) {
      yaml.append("  s").append(i).append(":\n    <<: *defaults\n    image: alpine:3.19\n");
    }
    Path compose = write("compose.yaml", yaml.toString());
    PinPlan plan = pin(compose);
    assertEquals(List.of(), plan.failures());
    assertEquals(120, plan.changes().size());
    assertEquals("6 BUILT_HERE", kinds(plan));
    assertTrue(Files.readString(compose).contains("    image: ghcr.io/owner/app:dev\n"));
  }

  /** Kubernetes: a ConfigMap's data is never an image; a bad value is a note, not a failure. */
  @Test
  void kubernetes_configDataIgnored_badValueNoted_taglessGetsLatest() throws Exception {
    Path k8s =
        write(
            "deploy.yaml",
            String.join(
                "\n",
                "apiVersion: v1",
                "kind: ConfigMap",
                "metadata: {name: settings}",
                "data:",
                "  image: \"not a reference at all\"",
                "---",
                "apiVersion: v1",
                "kind: Pod",
                "metadata: {name: p}",
                "spec:",
                "  initContainers:",
                "    - name: init",
                "      image: busybox",
                "  containers:",
                "    - name: bad",
                "      image: \"Not:Valid:Ref\"",
                "  volumes:",
                "    - name: models",
                "      image: {reference: alpine:3.19, pullPolicy: IfNotPresent}",
                ""));
    PinPlan plan = pin(k8s);
    assertEquals(List.of(), plan.failures());
    assertEquals("16 NOT_A_REFERENCE", kinds(plan));
    String out = Files.readString(k8s);
    assertTrue(out.contains("      image: busybox:latest@" + index("f1") + "\n"), out);
    assertTrue(out.contains("  image: \"not a reference at all\"\n"), out);
    assertTrue(out.contains("{reference: alpine:3.19@" + index("b1") + ", pullPolicy"), out);
  }

  @Test
  void flowStyleKubernetes_isFoundInDirectoryMode() throws Exception {
    Path flow =
        write(
            "k8s/pod.yaml",
            "{apiVersion: v1, kind: Pod, metadata: {name: p},"
                + " spec: {containers: [{name: a, image: alpine:3.19}]}}\n");
    write("k8s/notes.yaml", "title: not kubernetes\n");
    assertEquals(List.of(flow), PinFiles.find(dir));
    assertEquals(1, pin(flow).changes().size());
  }

  /** The shape of a typical Helm chart: values with an image, templates that only render. */
  @Test
  void helmChart_valuesPinned_templatesNotedOncePerChart() throws Exception {
    write("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    Path values =
        write(
            "chart/values.yaml",
            "image:\n  repository: nginx\n  tag: \"1.25\"\nsidecar:\n  image: alpine:3.19\n");
    String template =
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "spec:",
            "  template:",
            "    spec:",
            "      containers:",
            "        - image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"",
            "{{- if .Values.sidecar }}",
            "        - image: {{ .Values.sidecar.image }}",
            "{{- end }}",
            "");
    write("chart/templates/deployment.yaml", template);
    write("chart/templates/job.yaml", template);

    List<Path> files = PinFiles.find(dir);
    assertEquals(3, files.size(), files.toString()); // values and both templates
    PinPlan plan = Pinner.builder(registry).build().plan(files);
    plan.apply();
    assertEquals(List.of(), plan.failures());
    assertEquals("0 HELM_TEMPLATE", kinds(plan));
    assertEquals(
        "image:\n  repository: nginx\n  tag: \"1.25\"\nsidecar:\n  image: alpine:3.19@"
            + index("b1")
            + "\n",
        Files.readString(values));
    CheckReport report = Pinner.builder(registry).build().check(files);
    assertTrue(report.allCurrent(), report.toString());
  }
}
