package shop;

/** Quotes prices with 19% VAT. */
public final class PriceCalculator {
  private static final long VAT_PERCENT = 19;
  private static final String ROUNDING = "rounded half-up";

  private PriceCalculator() {}

  public static String quote(long cents) {
    return "total=" + format(cents + vat(cents)) + " EUR (" + ROUNDING + ")";
  }

  private static long vat(long cents) {
    return (cents * VAT_PERCENT + 50) / 100;
  }

  private static String format(long cents) {
    return cents / 100 + "." + String.format("%02d", cents % 100);
  }
}
