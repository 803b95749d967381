package io.hotpatch.springboot;

import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample checkout service as a Spring Boot web application: listens on the port given as the
 * first argument, on the loopback address or on -Dcheckout.address, as the demo service does.
 */
@SpringBootApplication
public class CheckoutApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(CheckoutApplication.class);
    app.setDefaultProperties(
        Map.of(
            "server.port",
            args[0],
            "server.address",
            System.getProperty("checkout.address", "127.0.0.1")));
    app.run(Arrays.copyOfRange(args, 1, args.length));
  }
}
