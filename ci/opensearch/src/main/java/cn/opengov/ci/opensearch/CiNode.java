package cn.opengov.ci.opensearch;

import java.util.Collection;

import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * An OpenSearch node whose modules are classes already on the classpath.
 *
 * <p>The public constructor only loads plugins from the plugins/ and modules/ directories of
 * a distribution; the protected one also takes plugin classes, which is what lets the whole
 * node run from Maven Central jars. Node itself runs no bootstrap checks (those live in the
 * distribution's Bootstrap class) and installs no security manager.
 */
final class CiNode extends Node {

    CiNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(environment, classpathPlugins, true);
    }
}
