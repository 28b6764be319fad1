package org.osgemu.qmp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON for QMP, through Jackson: one message in, plain-Java values out (objects as
 * {@code Map}, arrays as {@code List}, integers as {@code Long} or {@code BigInteger}, other
 * numbers as {@code Double}), and values back to text as QEMU writes it: one line,
 * {@code ": "} after keys and {@code ", "} between members.
 *
 * <p>Input accepts QEMU's extension of single-quoted strings and the {@code \'} escape.
 */
public final class Json {

    /** Deepest nesting of objects and arrays in a message, as QEMU's limit. */
    public static final int MAX_NESTING = 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING + 1).build())
                    .build())
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** QEMU's spacing: {@code {"a": 1, "b": [1, 2]}}. */
    private static final MinimalPrettyPrinter QEMU_STYLE = new MinimalPrettyPrinter() {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    };

    private Json() {
    }

    /** A message that is not JSON; the message is QEMU's {@code desc} for it. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    /** Parses one JSON value into plain Java. */
    public static Object parse(byte[] message) throws ParseException {
        try {
            return plain(MAPPER.readTree(message));
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
            throw new ParseException("JSON parse error, " + why.strip().replaceAll("\\s*\\R\\s*", " "));
        } catch (IOException e) {
            throw new ParseException("JSON parse error, " + e.getMessage());
        }
    }

    /** Parses one JSON value given as text (the shell's {@code qmp} command). */
    public static Object parse(String text) throws ParseException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-Java value from a Jackson tree. */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), plain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(plain(element)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    /** {@code value} as one line of JSON, without a line end. */
    public static String write(Object value) {
        try {
            return MAPPER.writer(QEMU_STYLE).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** {@code value} as a QMP message on the wire: one line of JSON ending in CR LF, as QEMU sends them. */
    public static byte[] message(Object value) {
        return (write(value) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
