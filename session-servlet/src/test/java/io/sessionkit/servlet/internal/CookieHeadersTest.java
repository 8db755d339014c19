package io.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SameSite;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeadersTest {
  private static final String NAME = "__Host-sid";
  private static final String ID = SessionIdGenerator.defaults().newAnonymousId();
  private static final String OTHER = SessionIdGenerator.defaults().newAnonymousId();

  private static PresentedId find(String... headers) {
    return CookieHeaders.find(Collections.enumeration(List.of(headers)), NAME);
  }

  @Test
  void findsTheCookieAmongOthersAndAcrossSplitHeaders() {
    assertThat(find("a=1; " + NAME + "=" + ID + "; b=2")).isEqualTo(PresentedId.of(ID));
    assertThat(find("a=1", NAME + "=" + ID)).isEqualTo(PresentedId.of(ID));
    assertThat(find("a=1;" + NAME + "=" + ID)).isEqualTo(PresentedId.of(ID));
    assertThat(find("a=1")).isEqualTo(PresentedId.NONE);
    assertThat(find()).isEqualTo(PresentedId.NONE);
  }

  @Test
  void namesAreCaseSensitiveAndPrefixesDoNotMatch() {
    assertThat(find("__host-sid=" + ID)).isEqualTo(PresentedId.NONE);
    assertThat(find("x" + NAME + "=" + ID)).isEqualTo(PresentedId.NONE);
  }

  @Test
  void twoDifferentValuesAreAmbiguousNeverTheFirstOne() {
    assertThat(find(NAME + "=" + ID + "; " + NAME + "=" + OTHER)).isEqualTo(PresentedId.AMBIGUOUS);
    assertThat(find(NAME + "=" + ID, NAME + "=" + OTHER)).isEqualTo(PresentedId.AMBIGUOUS);
    assertThat(find(NAME + "=" + ID, NAME + "=" + ID)).isEqualTo(PresentedId.of(ID));
  }

  @Test
  void aSessionCookieInsideAnotherCookiesOpenQuoteIsAmbiguous() {
    // CVE-2023-26049: a lenient parser reads lang's value across ';' and hides or smuggles the id.
    assertThat(find("lang=\"en; " + NAME + "=" + ID + "; x=y\"")).isEqualTo(PresentedId.AMBIGUOUS);
    assertThat(find("lang=\"en; " + NAME + "=" + ID)).isEqualTo(PresentedId.AMBIGUOUS);
    // A properly closed quoted value is harmless.
    assertThat(find("lang=\"en\"; " + NAME + "=" + ID)).isEqualTo(PresentedId.of(ID));
  }

  @Test
  void aQuotedSessionValueIsPresentedAsIsAndSoNeverWellFormed() {
    PresentedId p = find(NAME + "=\"" + ID + "\"");
    assertThat(p.value()).isEqualTo("\"" + ID + "\"");
    assertThat(SessionIdGenerator.defaults().isWellFormed(p.value())).isFalse();
  }

  @Test
  void toStringNeverShowsTheValue() {
    assertThat(PresentedId.of(ID).toString()).doesNotContain(ID);
  }

  @Test
  void setCookieWritesEveryConfiguredAttributeOnce() {
    assertThat(CookieHeaders.setCookie(CookieSettings.defaults(), ID, Instant.EPOCH))
        .isEqualTo(NAME + "=" + ID + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    CookieSettings persistent =
        CookieSettings.builder()
            .name("app")
            .path("/shop")
            .domain("example.com")
            .maxAge(Duration.ofHours(1))
            .sameSite(SameSite.STRICT)
            .build();
    assertThat(CookieHeaders.setCookie(persistent, ID, Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo(
            "app="
                + ID
                + "; Path=/shop; Domain=example.com; Max-Age=3600;"
                + " Expires=Fri, 02 Jan 2026 04:04:05 GMT; Secure; HttpOnly; SameSite=Strict");
  }

  @Test
  void theDeletionCookieMatchesPathAndDomainAndExpiresBothWays() {
    CookieSettings scoped =
        CookieSettings.builder().name("app").path("/shop").domain("example.com").build();
    assertThat(CookieHeaders.deleteCookie(scoped))
        .isEqualTo(
            "app=; Path=/shop; Domain=example.com; Max-Age=0;"
                + " Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
  }

  @Test
  void idsFitACookieOctetValueWellUnderTheSizeLimit() {
    SessionIdGenerator big = SessionIdGenerator.builder().bits(SessionIdGenerator.MAX_BITS).build();
    for (int i = 0; i < 1000; i++) {
      String id = big.newAnonymousId();
      String header = CookieHeaders.setCookie(CookieSettings.defaults(), id, Instant.EPOCH);
      assertThat(NAME.length() + id.length()).isLessThan(4096);
      assertThat(
              id.chars()
                  .allMatch(
                      c -> c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\'))
          .isTrue();
      assertThat(header).startsWith(NAME + "=" + id + ";");
    }
  }
}
