package io.hotpatch.operator.channel.http;

import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Channel tests whose pods are real processes running the v1 sample app, stopped after each test.
 */
public abstract class ProcessPodsTestSupport extends ChannelTestSupport {
  protected PodProcesses pods;

  @BeforeEach
  void sampleApp() throws IOException {
    Path work = Files.createDirectories(Path.of("target", "it", namespace)).toAbsolutePath();
    pods =
        new PodProcesses(
            work,
            SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, work, SampleBuilds.TARGET_RELEASE),
            https,
            namespace);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    pods.close();
  }
}
