package org.osgemu.qmp.schema;

/** A schema document that cannot be used; the message names the document, the definition and what is wrong. */
public class SchemaException extends Exception {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
