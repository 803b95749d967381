package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cleanup of the demo and the benchmark: order, failures and temporary directories. */
class CleanupTest {
  @Test
  void closesInReverseOrderOnceAndDeletesItsTemporaryDirectories() throws Exception {
    List<String> closed = new ArrayList<>();
    Path dir;
    try (Cleanup cleanup = Cleanup.onExit()) {
      dir = cleanup.tempDir("hotpatch-cleanup-test");
      Files.createDirectories(dir.resolve("a/b"));
      Files.writeString(dir.resolve("a/b/file.txt"), "x");
      cleanup.add(() -> closed.add("first"));
      cleanup.add(
          () -> {
            closed.add("failing");
            throw new IllegalStateException("must not stop the others");
          });
      AutoCloseable early = cleanup.add(() -> closed.add("early"));
      cleanup.closeNow(early);
    }

    assertThat(closed).containsExactly("early", "failing", "first");
    assertThat(dir).doesNotExist();
  }
}
