package io.hotpatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image tarball (docker-archive as Jib's buildTar writes it, or an OCI layout) and the image
 * reference it carries, so that the chart can be pointed at whatever name the build chose.
 */
record ImageTarball(Path file, String reference) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the image reference from the tarball's manifest.json (RepoTags) or index.json (ref
   * annotations).
   */
  static ImageTarball read(Path file) {
    try (InputStream in = Files.newInputStream(file);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (ArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name =
            entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        String reference =
            switch (name) {
              case "manifest.json" ->
                  JSON.readTree(tar.readAllBytes()).path(0).path("RepoTags").path(0).asText("");
              case "index.json" -> ociReference(JSON.readTree(tar.readAllBytes()));
              default -> "";
            };
        if (!reference.isEmpty()) {
          return new ImageTarball(file, reference);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read image tarball "
              + file
              + " ("
              + e
              + "): rebuild it with scripts/build-images.sh",
          e);
    }
    throw new IllegalStateException(
        "image tarball "
            + file
            + " names no image (no RepoTags in manifest.json,"
            + " no ref annotation in index.json): build it with a target image name (scripts/build-images.sh)");
  }

  private static String ociReference(JsonNode index) {
    JsonNode annotations = index.path("manifests").path(0).path("annotations");
    String full = annotations.path("io.containerd.image.name").asText("");
    return full.isEmpty() ? annotations.path("org.opencontainers.image.ref.name").asText("") : full;
  }

  /** Repository part of the reference (everything before the tag). */
  String repository() {
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference;
  }

  /** Tag part of the reference ("latest" when it has none). */
  String tag() {
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "latest";
  }
}
