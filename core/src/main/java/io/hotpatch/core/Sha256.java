package io.hotpatch.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests as lowercase hex, the form every hop compares. */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Sha256() {}

  public static String hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      char[] out = new char[digest.length * 2];
      for (int i = 0; i < digest.length; i++) {
        out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
        out[2 * i + 1] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  /** True for exactly 64 lowercase hex characters. */
  public static boolean isValid(String value) {
    return value != null && value.matches("[0-9a-f]{64}");
  }
}
