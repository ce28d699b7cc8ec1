package dev.ocipin.internal.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals and CIDR ranges, as {@code NO_PROXY} and docker's {@code insecure-registries} use
 * them.
 */
public final class IpRanges {
  private IpRanges() {}

  /** Returns whether {@code s} is an IPv4 literal (four parts) or an IPv6 one (has a colon). */
  public static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3 || s.contains(":");
  }

  /**
   * Returns whether IP literal {@code host} lies in {@code cidr} ({@code 127.0.0.0/8}); false for
   * names and malformed ranges.
   */
  public static boolean inCidr(String host, String cidr) {
    if (!isIpLiteral(host)) {
      return false;
    }
    try {
      int slash = cidr.indexOf('/');
      byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
      byte[] addr = InetAddress.getByName(host).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (net.length != addr.length || bits < 0 || bits > net.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }
}
