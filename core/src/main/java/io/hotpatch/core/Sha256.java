package io.hotpatch.core;

/**
 * SHA-256 digests as lowercase hex, the form every hop compares.
 *
 * <p>Computed here (FIPS 180-4), not by the JDK's {@code MessageDigest}: the first digest a JVM
 * takes that way loads its security providers and, on Java 17, spins the method handles behind the
 * provider's byte-array views. That cost 40 to 60 ms inside the application on an agent's first
 * attach, before anything was patched. The test checks every result against {@code MessageDigest}.
 */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
  private static final int[] ROUND_CONSTANTS = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  /** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
  private static final int[] INITIAL_HASH = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };

  private static final int BLOCK = 64;

  private Sha256() {}

  public static String hex(byte[] bytes) {
    int[] hash = digest(bytes);
    char[] out = new char[64];
    for (int i = 0; i < 64; i++) {
      out[i] = HEX[(hash[i / 8] >>> (28 - 4 * (i % 8))) & 0xf];
    }
    return new String(out);
  }

  /** True for exactly 64 lowercase hex characters. */
  public static boolean isValid(String value) {
    return value != null && value.matches("[0-9a-f]{64}");
  }

  private static int[] digest(byte[] message) {
    int[] hash = INITIAL_HASH.clone();
    int[] schedule = new int[64];
    int whole = message.length / BLOCK * BLOCK;
    for (int offset = 0; offset < whole; offset += BLOCK) {
      compress(hash, schedule, message, offset);
    }
    // The rest, a 1 bit, zeros, and the length in bits in the last 8 bytes: one or two blocks.
    int rest = message.length - whole;
    byte[] tail = new byte[rest + 9 <= BLOCK ? BLOCK : 2 * BLOCK];
    System.arraycopy(message, whole, tail, 0, rest);
    tail[rest] = (byte) 0x80;
    long bits = (long) message.length * 8;
    for (int i = 0; i < 8; i++) {
      tail[tail.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    for (int offset = 0; offset < tail.length; offset += BLOCK) {
      compress(hash, schedule, tail, offset);
    }
    return hash;
  }

  private static void compress(int[] hash, int[] w, byte[] data, int offset) {
    for (int t = 0; t < 16; t++) {
      int i = offset + 4 * t;
      w[t] =
          (data[i] << 24)
              | ((data[i + 1] & 0xff) << 16)
              | ((data[i + 2] & 0xff) << 8)
              | (data[i + 3] & 0xff);
    }
    // Rotations written out, not Integer.rotateRight: the sidecar runs interpreted (-Xint), where
    // a call per rotation made a digest 4 times slower.
    for (int t = 16; t < 64; t++) {
      int x = w[t - 15];
      int y = w[t - 2];
      int s0 = (x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ (x >>> 3);
      int s1 = (y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ (y >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    int a = hash[0];
    int b = hash[1];
    int c = hash[2];
    int d = hash[3];
    int e = hash[4];
    int f = hash[5];
    int g = hash[6];
    int h = hash[7];
    for (int t = 0; t < 64; t++) {
      int sum1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
      int choose = (e & f) ^ (~e & g);
      int t1 = h + sum1 + choose + ROUND_CONSTANTS[t] + w[t];
      int sum0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
      int majority = (a & b) ^ (a & c) ^ (b & c);
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + sum0 + majority;
    }
    hash[0] += a;
    hash[1] += b;
    hash[2] += c;
    hash[3] += d;
    hash[4] += e;
    hash[5] += f;
    hash[6] += g;
    hash[7] += h;
  }
}
