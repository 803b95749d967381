package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Which classes a bundle may patch: never the agent's, the JDK's only when the patch allows it. */
class ProtectedClassesTest {
  @Test
  void refusesEveryJdkPackageUnlessAllowed() {
    for (String name :
        Arrays.asList(
            "java.lang.String",
            "java.lang.Object",
            "javax.crypto.Cipher",
            "jdk.internal.misc.Unsafe",
            "sun.misc.Unsafe",
            "com.sun.net.httpserver.HttpServer")) {
      assertThat(ProtectedClasses.refusal(Arrays.asList("shop.Price", name), false))
          .as(name)
          .isEqualTo(
              "bundle patches "
                  + name
                  + ", a class of the JDK (java.*, javax.*, jdk.*, sun.*, com.sun.*),"
                  + " which is refused because it changes every application in the JVM: allow it explicitly"
                  + " (HotPatch spec.allowJdkClasses: true, hotpatch apply --allow-jdk-classes) only for a JDK fix you have tested");
      assertThat(ProtectedClasses.refusal(Collections.singletonList(name), true)).as(name).isNull();
    }
  }

  @Test
  void refusesTheAgentsOwnClassesEvenWhenJdkClassesAreAllowed() {
    for (String name :
        Arrays.asList(
            "io.hotpatch.agent.PatchEngine",
            "io.hotpatch.core.Bundle",
            "io.hotpatch.core.channel.PatchOrder",
            "io.hotpatch.agent.shaded.asm.ClassReader")) {
      assertThat(ProtectedClasses.refusal(Collections.singletonList(name), true))
          .startsWith("bundle patches " + name + ", a class of the hotpatch agent itself");
    }
  }

  @Test
  void acceptsApplicationClassesIncludingLookAlikes() {
    assertThat(
            ProtectedClasses.refusal(
                Arrays.asList(
                    "shop.Price",
                    "javafx.Foo",
                    "javalin.Javalin",
                    "com.sunrise.Billing",
                    "io.hotpatch.sample.PriceCalculator",
                    "sunny.Day",
                    "io.hotpatch.agent.fixture.Greeter"),
                false))
        .isNull();
  }
}
