package io.hotpatch.springboot;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import shop.PriceCalculator;

/** GET /price?cents=N quotes a price with VAT (500 when the quote throws); GET /health says ok. */
@RestController
public class CheckoutController {
  @GetMapping("/price")
  public String price(@RequestParam(name = "cents", defaultValue = "1999") long cents) {
    return PriceCalculator.quote(cents);
  }

  @GetMapping("/health")
  public String health() {
    return "ok";
  }
}
