package io.hotpatch.sidecar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.tools.attach.VirtualMachine;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.JvmFinder;
import io.hotpatch.sidecar.JvmProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JvmFinder sees a real JVM that runs without perf data, which the Attach API's list misses. */
class JvmFinderIT {
  @BeforeAll
  static void buildSample() throws Exception {
    AttachIT.buildSample();
  }

  @Test
  void findsAJvmStartedWithoutPerfData() throws Exception {
    try (TargetJvm target = AttachIT.targetBuilder(17).jvmArgs("-XX:-UsePerfData").start()) {
      JvmFinder finder = new JvmFinder();

      JvmProcess found = finder.find(target.pid());

      assertThat(found.mainClass()).isEqualTo(SampleVersion.MAIN_CLASS);
      assertThat(found.uid()).isEqualTo(AttachIT.ourUid());
      assertThat(found.commandLine()).contains("-XX:-UsePerfData");
      assertThat(found.otherMountNamespace()).isFalse();
      assertThat(finder.findAll()).contains(found);
      assertThat(finder.findAll()).noneMatch(jvm -> jvm.pid() == ProcessHandle.current().pid());
      assertThat(VirtualMachine.list())
          .noneMatch(vm -> vm.id().equals(Long.toString(target.pid())));
    }
  }

  @Test
  void tellsWhenAJvmLivesInAnotherMountNamespace() {
    assumeTrue(AttachIT.isRoot(), "needs root to give the target its own mount namespace");
    try (TargetJvm target =
        AttachIT.targetBuilder(17)
            .launcher(
                command -> {
                  List<String> all = new ArrayList<>(List.of("unshare", "-m"));
                  all.addAll(command);
                  return all;
                })
            .start()) {
      assertThat(new JvmFinder().findAll())
          .filteredOn(jvm -> jvm.pid() == target.pid())
          .singleElement()
          .satisfies(jvm -> assertThat(jvm.otherMountNamespace()).isTrue());
    }
  }
}
