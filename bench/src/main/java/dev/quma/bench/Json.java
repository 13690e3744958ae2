package dev.quma.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Result files as strict, indented JSON. Anything outside ASCII is written escaped, so a hostile
 * sample's lone surrogate or control character survives the round trip, and a NaN or an infinity
 * (JSON has neither) is written as null.
 */
final class Json {
  private Json() {}

  private static final ObjectWriter WRITER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .addModule(
              new SimpleModule()
                  .addSerializer(Double.class, new FiniteOrNull<>())
                  .addSerializer(Float.class, new FiniteOrNull<>()))
          .build()
          .writer();

  static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a report that cannot be written as JSON", e);
    }
  }

  private static final class FiniteOrNull<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      double d = value.doubleValue();
      if (Double.isFinite(d)) {
        out.writeNumber(d);
      } else {
        out.writeNull();
      }
    }
  }
}
