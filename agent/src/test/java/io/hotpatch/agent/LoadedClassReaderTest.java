package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

/**
 * The file on disk behind a class file URL, whose changes decide whether the class file is trusted.
 */
class LoadedClassReaderTest {
  @Test
  void findsTheFileBehindPlainNestedAndSpringBootUrls() {
    assertThat(LoadedClassReader.fileOf("file:/app/classes/shop/A.class"))
        .isEqualTo(new File("/app/classes/shop/A.class"));
    assertThat(LoadedClassReader.fileOf("jar:file:/app/checkout.jar!/shop/A.class"))
        .isEqualTo(new File("/app/checkout.jar"));
    assertThat(LoadedClassReader.fileOf("jar:file:/app/my%20app.jar!/shop/A.class"))
        .isEqualTo(new File("/app/my app.jar"));
    assertThat(LoadedClassReader.fileOf("jar:file:/app/boot.jar!/BOOT-INF/lib/x.jar!/shop/A.class"))
        .isEqualTo(new File("/app/boot.jar"));
    assertThat(
            LoadedClassReader.fileOf("jar:nested:/app/boot.jar/!BOOT-INF/classes/!/shop/A.class"))
        .isEqualTo(new File("/app/boot.jar"));
  }

  @Test
  void knowsNoFileForOtherSchemes() {
    assertThat(LoadedClassReader.fileOf("vfs:/content/app.war/WEB-INF/classes/shop/A.class"))
        .isNull();
    assertThat(LoadedClassReader.fileOf("memory:shop/A.class")).isNull();
  }
}
