package io.mlguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IgnoredLoadersTest {
    static final class PluginLoader extends URLClassLoader {
        PluginLoader() {
            super(new URL[0], null);
        }
    }

    @Test
    void aLoaderIsIgnoredByItsClassNameOrAPrefixOfIt() {
        ClassLoader plugin = new PluginLoader();
        ClassLoader app = IgnoredLoadersTest.class.getClassLoader();
        IgnoredLoaders exact = IgnoredLoaders.parse(" " + PluginLoader.class.getName() + " ;");
        assertThat(exact.ignores(plugin)).isTrue();
        assertThat(exact.ignores(app)).isFalse();
        assertThat(exact.ignores(null)).isFalse(); // the JDK's own classes stay hooked
        IgnoredLoaders prefix = IgnoredLoaders.parse("com.example.*;io.mlguard.core.config.Ign*");
        assertThat(prefix.ignores(plugin)).isTrue();
        assertThat(prefix.ignores(app)).isFalse();
        assertThat(
                        IgnoredLoaders.parse("io.mlguard.core.config.IgnoredLoadersTest")
                                .ignores(plugin))
                .isFalse(); // a name must match whole, not as a prefix
    }

    @Test
    void nothingIsIgnoredByDefault() {
        AgentConfig config = AgentConfig.load("", Map.of());
        assertThat(config.ignoredLoaders.isEmpty()).isTrue();
        assertThat(config.ignoredLoaders.ignores(new PluginLoader())).isFalse();
        assertThat(IgnoredLoaders.parse(" ; ").isEmpty()).isTrue();
    }

    @Test
    void theSettingComesFromTheAgentArgumentsOrTheEnvironment() {
        String name = PluginLoader.class.getName();
        assertThat(
                        AgentConfig.load("ignoreLoaders=" + name, Map.of())
                                .ignoredLoaders
                                .ignores(new PluginLoader()))
                .isTrue();
        assertThat(
                        AgentConfig.load("", Map.of("MLGUARD_IGNORE_LOADERS", "a.B;" + name))
                                .ignoredLoaders
                                .ignores(new PluginLoader()))
                .isTrue();
    }

    @Test
    void anEntryThatIsNoClassNameIsAClearError() {
        for (String bad :
                new String[] {
                    "com.example.Plugin Loader", "*", "a..B", ".a", "a.", "1a.B", "a*b"
                }) {
            assertThatThrownBy(() -> AgentConfig.load("ignoreLoaders=x.Y;" + bad, Map.of()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ignoreLoaders")
                    .hasMessageContaining("'" + bad.trim() + "'");
        }
    }
}
