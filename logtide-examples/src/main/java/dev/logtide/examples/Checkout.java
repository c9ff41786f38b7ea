package dev.logtide.examples;

import java.io.IOException;
import java.net.SocketTimeoutException;

/** A stand-in for application code: charging an order fails with a chain of three exceptions. */
final class Checkout {
    private Checkout() {
    }

    /**
     * @param orderId the order
     * @throws IllegalStateException always, caused by an {@link IOException} caused by a
     *     {@link SocketTimeoutException}
     */
    static void charge(String orderId) {
        try {
            callPaymentProvider(orderId);
        } catch (IOException e) {
            throw new IllegalStateException("Could not charge order " + orderId, e);
        }
    }

    private static void callPaymentProvider(String orderId) throws IOException {
        try {
            throw new SocketTimeoutException("Read timed out after 2000 ms");
        } catch (SocketTimeoutException e) {
            throw new IOException("Payment provider unreachable for order " + orderId, e);
        }
    }
}
