package org.osgemu.qmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class JsonFramerTest {

    private final List<String> out = new ArrayList<>();
    private final JsonFramer framer = new JsonFramer(64, new JsonFramer.Sink() {
        @Override
        public void message(byte[] json) {
            out.add(new String(json, StandardCharsets.UTF_8));
        }

        @Override
        public void fault(String desc) {
            out.add("FAULT " + desc);
        }
    });

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        framer.feed(bytes, 0, bytes.length);
    }

    @Test
    void messagesNeedNoNewlineAndMayArriveInPieces() {
        feed("{\"execute\":\"a\"}{\"exec");
        feed("ute\": \"b\"}  [1,2]\r\n");
        assertEquals(List.of("{\"execute\":\"a\"}", "{\"execute\": \"b\"}", "[1,2]"), out);
    }

    @Test
    void bracesInsideStringsOfEitherQuoteDoNotCount() {
        feed("{\"a\": \"}{\\\"\", 'b': '}\\''}");
        assertEquals(List.of("{\"a\": \"}{\\\"\", 'b': '}\\''}"), out);
    }

    @Test
    void bareScalarsEndAtADelimiter() {
        feed("42 true{\"x\":1}\"s\"");
        assertEquals(List.of("42", "true", "{\"x\":1}", "\"s\""), out);
    }

    @Test
    void controlCharacterThrowsAwayTheMessageInProgress() {
        feed("{\"execute\": \"qu\u0001{\"execute\": \"stop\"}");
        assertEquals(List.of("FAULT JSON parse error, stray '\\x01'", "{\"execute\": \"stop\"}"), out);
    }

    @Test
    void strayClosingBrace() {
        feed("}{}");
        assertEquals(List.of("FAULT JSON parse error, stray '}'", "{}"), out);
    }

    @Test
    void oversizedMessageIsReportedOnceAndSkipped() {
        feed("{\"a\": \"" + "x".repeat(100) + "\"}{\"ok\": 1}");
        assertEquals(List.of("FAULT JSON token size limit exceeded", "{\"ok\": 1}"), out);
    }

    @Test
    void tooDeepNestingIsReportedOnceAndSkipped() {
        JsonFramer deep = new JsonFramer(1 << 20, new JsonFramer.Sink() {
            @Override
            public void message(byte[] json) {
                out.add("message of " + json.length);
            }

            @Override
            public void fault(String desc) {
                out.add("FAULT " + desc);
            }
        });
        byte[] bytes = ("[".repeat(Json.MAX_NESTING + 5) + "]".repeat(Json.MAX_NESTING + 5) + "{}").getBytes(StandardCharsets.UTF_8);
        deep.feed(bytes, 0, bytes.length);
        assertEquals(List.of("FAULT JSON nesting depth limit exceeded", "message of 2"), out);
    }

    @Test
    void knowsWhenHalfAMessageHasArrived() {
        feed("{\"execute\"");
        assertTrue(framer.isInsideMessage());
        feed(": \"x\"}");
        assertFalse(framer.isInsideMessage());
        assertEquals(1, out.size());
    }
}
