package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestTest {
  // printf '{}' | sha256sum
  private static final String EMPTY_OBJECT =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void sha256_ofBytes_matchesSha256sum() {
    Digest d = Digest.sha256("{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(EMPTY_OBJECT, d.toString());
    assertEquals("sha256", d.algorithm());
    assertEquals(EMPTY_OBJECT.substring(7), d.encoded());
  }

  @Test
  void sha512_ofBytes_matchesSha512sum() {
    // printf '' | sha512sum
    assertEquals(
        "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
        Digest.sha512(new byte[0]).toString());
  }

  @Test
  void hasher_incremental_equalsOneShot() throws Exception {
    byte[] bytes = "hello, incremental world".getBytes(StandardCharsets.UTF_8);
    Digest.Hasher h = Digest.hasher("sha256");
    h.update(bytes, 0, 5);
    h.update(bytes, 5, bytes.length - 5);
    assertEquals(bytes.length, h.size());
    assertEquals(Digest.sha256(bytes), h.digest());
  }

  @Test
  void parse_roundTrips() {
    assertEquals(EMPTY_OBJECT, Digest.parse(EMPTY_OBJECT).toString());
    assertEquals(Digest.parse(EMPTY_OBJECT), Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(Digest.parse(EMPTY_OBJECT).matches("{}".getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sha256                                                                    | expected algorithm:encoded",
        ":44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a       | algorithm is empty",
        "sha256:                                                                   | encoded part is empty",
        "md5:d41d8cd98f00b204e9800998ecf8427e                                      | unsupported digest algorithm",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8  | needs 64 hex characters, got 63",
        "sha512:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a | needs 128 hex characters, got 64",
        "sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A | hex must be lowercase",
        "sha256:g4136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a | must be hex",
      })
  void parse_invalid_namesWhatIsWrong(String text, String reason) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> Digest.parse(text.strip()));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void hasher_unknownAlgorithm_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Digest.hasher("md5"));
  }
}
