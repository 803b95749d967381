package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our SHA-256 gives the published test vectors and what the JDK's MessageDigest gives. */
class Sha256Test {
  @Test
  void givesThePublishedTestVectors() {
    assertThat(Sha256.hex(ascii("")))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Sha256.hex(ascii("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.hex(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    byte[] million = new byte[1_000_000];
    Arrays.fill(million, (byte) 'a');
    assertThat(Sha256.hex(million))
        .isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  @Test
  void agreesWithMessageDigestAtEveryLengthAroundTheBlockBoundaries() throws Exception {
    Random random = new Random(42);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256");
    for (int length = 0; length <= 300; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertThat(Sha256.hex(bytes)).as("length %d", length).isEqualTo(hex(jdk.digest(bytes)));
    }
    byte[] large = new byte[3 * 1024 * 1024 + 17];
    random.nextBytes(large);
    assertThat(Sha256.hex(large)).isEqualTo(hex(jdk.digest(large)));
  }

  @Test
  void acceptsOnlySixtyFourLowercaseHexCharacters() {
    assertThat(Sha256.isValid(Sha256.hex(new byte[0]))).isTrue();
    assertThat(Sha256.isValid(Sha256.hex(new byte[0]).toUpperCase())).isFalse();
    assertThat(Sha256.isValid("ab")).isFalse();
    assertThat(Sha256.isValid(null)).isFalse();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String hex(byte[] digest) {
    StringBuilder out = new StringBuilder();
    for (byte b : digest) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
