package shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The sample checkout service: GET /price?cents=N quotes a price with VAT. */
public final class Checkout {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/health", exchange -> respond(exchange, 200, "ok"));
    server.createContext("/price", exchange -> {
      String query = exchange.getRequestURI().getQuery();
      long cents = query != null && query.startsWith("cents=") ? Long.parseLong(query.substring(6)) : 1999;
      respond(exchange, 200, PriceCalculator.quote(cents));
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
