package dev.ocipin.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceFormTest {
  @Test
  void parse_readsTheNamesBuildToolsWrite_andSaysWhichThereAre() {
    assertEquals(ReferenceForm.KEEP, ReferenceForm.parse("keep"));
    assertEquals(ReferenceForm.FAMILIAR, ReferenceForm.parse(" Familiar "));
    assertEquals(ReferenceForm.CANONICAL, ReferenceForm.parse("CANONICAL"));
    assertEquals(
        "form \"short\" is not one of keep, familiar, canonical",
        assertThrows(IllegalArgumentException.class, () -> ReferenceForm.parse("short"))
            .getMessage());
  }
}
