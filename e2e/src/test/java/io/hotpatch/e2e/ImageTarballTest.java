package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image references come out of the tarballs the image build writes, in both formats. */
class ImageTarballTest {
  @TempDir Path dir;

  @Test
  void readsTheReferenceOfADockerArchive() throws IOException {
    Path tar =
        tar(
            "layer.tar",
            "x",
            "manifest.json",
            "[{\"Config\":\"config.json\",\"RepoTags\":[\"localhost:5000/hotpatch/operator:0.1.0\"],\"Layers\":[]}]");

    ImageTarball image = ImageTarball.read(tar);

    assertThat(image.reference()).isEqualTo("localhost:5000/hotpatch/operator:0.1.0");
    assertThat(image.repository()).isEqualTo("localhost:5000/hotpatch/operator");
    assertThat(image.tag()).isEqualTo("0.1.0");
  }

  @Test
  void readsTheReferenceOfAnOciLayout() throws IOException {
    Path tar =
        tar(
            "oci-layout",
            "{}",
            "index.json",
            "{\"manifests\":[{\"annotations\":"
                + "{\"io.containerd.image.name\":\"docker.io/hotpatch/sidecar:0.1.0\"}}]}");

    assertThat(ImageTarball.read(tar).repository()).isEqualTo("docker.io/hotpatch/sidecar");
  }

  @Test
  void refusesATarballWithoutAName() throws IOException {
    Path tar =
        tar("manifest.json", "[{\"Config\":\"config.json\",\"Layers\":[]}]", "config.json", "{}");

    assertThatThrownBy(() -> ImageTarball.read(tar))
        .hasMessageContaining("names no image")
        .hasMessageContaining("scripts/build-images.sh");
  }

  private Path tar(String name1, String content1, String name2, String content2)
      throws IOException {
    Path tar = dir.resolve("image.tar");
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      add(out, name1, content1);
      add(out, name2, content2);
    }
    return tar;
  }

  private static void add(TarArchiveOutputStream out, String name, String content)
      throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }
}
