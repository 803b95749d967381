package shop;

/** Quotes prices with 19% VAT: a broken fix whose method body throws on every call. */
public final class PriceCalculator {
  private static final long VAT_PERCENT = 19;

  private PriceCalculator() {}

  public static String quote(long cents) {
    long vat = (cents * VAT_PERCENT + 50) / 100;
    if (vat >= 0) {
      throw new IllegalStateException("VAT table not loaded");
    }
    return "total=" + format(cents + vat) + " EUR";
  }

  private static String format(long cents) {
    return cents / 100 + "." + String.format("%02d", cents % 100);
  }
}
