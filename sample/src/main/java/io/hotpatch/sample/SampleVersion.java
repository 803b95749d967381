package io.hotpatch.sample;

/** The four versions of the sample checkout service that the demo, benchmark and tests patch. */
public enum SampleVersion {
  /** Truncates VAT: quotes {@code total=23.78 EUR} for 19.99. */
  V1_BUGGY("v1", "total=23.78 EUR"),
  /** Fixes the method body only, so it is hot-applicable: {@code total=23.79 EUR}. */
  V2_HOT_FIX("v2", "total=23.79 EUR"),
  /** Adds a field and a method, which a live JVM refuses. */
  V3_SCHEMA_CHANGE("v3", "total=23.79 EUR (rounded half-up)"),
  /**
   * A broken fix that is hot-applicable (method body only) but throws on every quote, so the
   * service answers 500: what a health-gated rollout must catch. It has no quote ({@code null}).
   */
  V4_THROWS("v4", null);

  /** The class whose versions differ. */
  public static final String PATCHED_CLASS = "shop.PriceCalculator";

  /** The service's main class. */
  public static final String MAIN_CLASS = "shop.Checkout";

  /** The request whose answer shows which version runs. */
  public static final String PRICE_PATH = "/price?cents=1999";

  private final String directory;
  private final String expectedQuote;

  SampleVersion(String directory, String expectedQuote) {
    this.directory = directory;
    this.expectedQuote = expectedQuote;
  }

  /** The version's short name ({@code v1}..{@code v4}), as its sources and built files carry it. */
  public String directory() {
    return directory;
  }

  /** What GET {@link #PRICE_PATH} answers when this version runs; null when it answers 500. */
  public String expectedQuote() {
    return expectedQuote;
  }
}
