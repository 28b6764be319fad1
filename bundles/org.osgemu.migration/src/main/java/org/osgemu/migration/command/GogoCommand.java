package org.osgemu.migration.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that registers a component's methods as Gogo commands: bnd turns it
 * into the service properties {@code osgi.command.scope} and {@code osgi.command.function}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GogoCommand {

    /** Gogo reads the properties under this prefix. */
    String PREFIX_ = "osgi.command.";

    /** The scope, as in {@code osgemu:migrate}. */
    String scope();

    /** The function names; Gogo calls the public method of the same name. */
    String[] function();
}
