package shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The sample checkout service: GET /price?cents=N quotes a price with VAT, or answers 500 when the
 * quote throws. Listens on the loopback address, or on -Dcheckout.address (another loopback
 * address, so that tests can run several "pods" with the same port on one machine).
 */
public final class Checkout {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String address = System.getProperty("checkout.address");
    InetAddress bind = address == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(address);
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 128);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/health", exchange -> respond(exchange, 200, "ok"));
    server.createContext("/price", exchange -> {
      String query = exchange.getRequestURI().getQuery();
      long cents = query != null && query.startsWith("cents=") ? Long.parseLong(query.substring(6)) : 1999;
      String quote;
      try {
        quote = PriceCalculator.quote(cents);
      } catch (RuntimeException e) {
        respond(exchange, 500, "error: " + e);
        return;
      }
      respond(exchange, 200, quote);
    });
    server.start();
    System.out.println("checkout listening on " + port);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
