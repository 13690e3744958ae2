package dev.quma.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Result files are JSON a strict parser reads back, whatever a hostile sample holds. */
class JsonTest {
  @Test
  void controlCharactersQuotesAndLoneSurrogatesAreEscapedAndNonFiniteNumbersAreNull()
      throws Exception {
    String sample = "GET /x\r\nX-Evil: \u001b[31m\"quoted\" back\\slash\ttab \ud800 end";
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("key \"with\" quotes\n", sample);
    report.put("numbers", List.of(1, 2.5, Double.NaN, Double.POSITIVE_INFINITY));
    report.put("nothing", null);

    JsonNode read = new ObjectMapper().readTree(Json.write(report));

    assertThat(read.get("key \"with\" quotes\n").asText()).isEqualTo(sample);
    assertThat(read.get("numbers").toString()).isEqualTo("[1,2.5,null,null]");
    assertThat(read.get("nothing").isNull()).isTrue();
  }
}
