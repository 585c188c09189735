package dev.mapreduce.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The checked repository: its files and its Maven modules, read from the poms. */
final class Repository {

    /** The repository root: the parent of this module, unless {@code -Drepository.root} names another copy. */
    static final Path ROOT = Path.of(System.getProperty("repository.root", ".."))
            .toAbsolutePath()
            .normalize();

    private static final String OUR_GROUP = "dev.mapreduce";

    private Repository() {}

    static Path file(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A module's pom: its artifact id, its jar's name, and the artifact ids of our modules it uses. */
    record Pom(String module, String artifactId, String finalName, Set<String> ourDependencies, Set<String> plugins) {

        /** The jar {@code package} leaves in target/. */
        String jar() {
            return module + "/target/" + finalName + ".jar";
        }

        boolean isSpringBootApplication() {
            return plugins.contains("spring-boot-maven-plugin");
        }
    }

    /** The modules of the root pom's reactor, in its order. */
    static List<String> modules() {
        List<String> modules = new ArrayList<>();
        for (Element module : children(child(pomElement("pom.xml"), "modules"), "module")) {
            modules.add(module.getTextContent().trim());
        }
        return modules;
    }

    static Pom pom(String module) {
        Element project = pomElement(module + "/pom.xml");
        String artifactId = text(child(project, "artifactId"));
        Element build = child(project, "build");
        String finalName = build == null || child(build, "finalName") == null
                ? artifactId + "-" + text(child(child(project, "parent"), "version"))
                : text(child(build, "finalName"));
        Set<String> dependencies = new LinkedHashSet<>();
        for (Element dependency : children(child(project, "dependencies"), "dependency")) {
            if (OUR_GROUP.equals(text(child(dependency, "groupId")))) {
                dependencies.add(text(child(dependency, "artifactId")));
            }
        }
        Set<String> plugins = new LinkedHashSet<>();
        for (Element plugin : children(build == null ? null : child(build, "plugins"), "plugin")) {
            plugins.add(text(child(plugin, "artifactId")));
        }
        return new Pom(module, artifactId, finalName, dependencies, plugins);
    }

    /** A property of the root pom's {@code <properties>}. */
    static String rootProperty(String name) {
        Element value = child(child(pomElement("pom.xml"), "properties"), name);
        if (value == null) {
            throw new IllegalStateException("the root pom has no property " + name);
        }
        return text(value);
    }

    /** The project's version, from the root pom. */
    static String version() {
        return text(child(pomElement("pom.xml"), "version"));
    }

    /** The image Jib builds of a service module: {@code <image.repository>/<finalName>:<version>}. */
    static String image(String module) {
        return rootProperty("image.repository") + "/" + pom(module).finalName() + ":" + version();
    }

    /** The Spring Boot applications among the modules: our services, one image each. */
    static List<String> serviceModules() {
        return modules().stream().filter(m -> pom(m).isSpringBootApplication()).toList();
    }

    /** {@code module} and every module it is built from ({@code mvn -pl module -am}). */
    static Set<String> withDependencies(String module) {
        Map<String, String> moduleOfArtifact = new LinkedHashMap<>();
        for (String m : modules()) {
            moduleOfArtifact.put(pom(m).artifactId(), m);
        }
        Set<String> closure = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(List.of(module));
        while (!pending.isEmpty()) {
            String next = pending.remove(pending.size() - 1);
            if (closure.add(next)) {
                for (String artifact : pom(next).ourDependencies()) {
                    pending.add(moduleOfArtifact.get(artifact));
                }
            }
        }
        return closure;
    }

    private static Element pomElement(String relative) {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(file(relative).toFile())
                    .getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + relative + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent().trim();
    }
}
