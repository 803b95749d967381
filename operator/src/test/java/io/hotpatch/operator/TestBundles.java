package io.hotpatch.operator;

import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Real bundle jars for tests: one generated class file per bundle. */
public final class TestBundles {
  private TestBundles() {}

  /**
   * A bundle replacing {@code shop.PriceCalculator}; the version changes the bytes and so the
   * sha256.
   */
  public static byte[] priceFix(int version) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "shop/PriceCalculator",
        null,
        "java/lang/Object",
        null);
    writer.visitSource("PriceCalculator-v" + version + ".java", null);
    writer.visitEnd();
    return BundleWriter.write(
        Map.of("shop.PriceCalculator", writer.toByteArray()), BundleManifest.empty());
  }
}
