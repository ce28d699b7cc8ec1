package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://s3.example/b/blob?X-Amz-Signature=abc#f | https://s3.example/b/blob  | https://s3.example/b/blob",
        "https://user:pw@auth.example:8443/token?pw=x   | https://auth.example:8443/token | https://auth.example:8443/token",
        "http://127.0.0.1:5000/v2/echo/hunter2/x         | http://127.0.0.1:5000/v2/echo/%3Credacted%3E/x | http://127.0.0.1:5000/v2/echo/<redacted>/x",
        "http://[::1]:5000/v2/                           | http://[::1]:5000/v2/ | http://[::1]:5000/v2/",
      })
  void printable_dropsUserInfoQueryAndFragment_andScrubsThePath(
      String uri, String printable, String printed) {
    Secrets secrets = new Secrets();
    secrets.add("hunter2");
    assertEquals(printable, Urls.printable(URI.create(uri), secrets).toString());
    assertEquals(printed, Urls.print(URI.create(uri), secrets));
  }
}
