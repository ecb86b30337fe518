#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace gatehouse::app {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  EnvLookup env;
  for (const auto& [name, value] : vars) env.names.push_back(name);
  env.get = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return env;
}

std::string WriteTemp(const std::string& content) {
  char path[] = "/tmp/gatehouse-config-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << content;
  return path;
}

TEST(ConfigTest, DefaultsAreTheDocumentedOnes) {
  const Config c = LoadConfig(std::nullopt, Env({}));
  EXPECT_EQ(c.issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.database_url, "sqlite://./gatehouse.db");
  EXPECT_EQ(c.sqlite_path(), "./gatehouse.db");
  EXPECT_FALSE(c.live);
  EXPECT_TRUE(c.dynamic_registration);
  EXPECT_TRUE(c.cimd);
  EXPECT_FALSE(c.cimd_allow_loopback);
  EXPECT_EQ(c.signing_algorithm, "RS256");
  EXPECT_EQ(c.authorization_code_ttl_seconds, 60);
}

TEST(ConfigTest, FileThenEnvironmentWins) {
  const std::string file = WriteTemp(
      "issuer = \"https://id.example.com\"\nlisten = \"0.0.0.0:9000\"\ncimd = false\n"
      "access_token_ttl_seconds = 600\n");
  const Config c = LoadConfig(file, Env({{"GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS", "900"},
                                         {"GATEHOUSE_ENVIRONMENT", "live"}}));
  EXPECT_EQ(c.issuer, "https://id.example.com");
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_FALSE(c.cimd);
  EXPECT_EQ(c.access_token_ttl_seconds, 900);
  EXPECT_TRUE(c.live);
  std::remove(file.c_str());
}

TEST(ConfigTest, Ipv6ListenAddress) {
  const Config c = LoadConfig(std::nullopt, Env({{"GATEHOUSE_LISTEN", "[::1]:0"}}));
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 0);
}

void ExpectError(std::map<std::string, std::string> env, const std::string& fragment) {
  try {
    LoadConfig(std::nullopt, Env(std::move(env)));
    ADD_FAILURE() << "expected a ConfigError mentioning " << fragment;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line only";
  }
}

TEST(ConfigTest, InvalidValuesNameTheKey) {
  ExpectError({{"GATEHOUSE_ENVIRONMENT", "prod"}}, "environment");
  ExpectError({{"GATEHOUSE_ISSUER", "ftp://x"}}, "issuer");
  ExpectError({{"GATEHOUSE_ISSUER", "https://x/"}}, "issuer");
  ExpectError({{"GATEHOUSE_ISSUER", "https://x?a=b"}}, "issuer");
  ExpectError({{"GATEHOUSE_ENVIRONMENT", "live"}}, "https");  // live needs an https issuer
  ExpectError({{"GATEHOUSE_LISTEN", "8080"}}, "listen");
  ExpectError({{"GATEHOUSE_LISTEN", "127.0.0.1:99999"}}, "listen");
  ExpectError({{"GATEHOUSE_DATABASE_URL", "mysql://x"}}, "database_url");
  ExpectError({{"GATEHOUSE_CIMD", "maybe"}}, "GATEHOUSE_CIMD");
  ExpectError({{"GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS", "abc"}}, "GATEHOUSE_ACCESS_TOKEN_TTL");
  ExpectError({{"GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS", "5"}}, "between");
  ExpectError({{"GATEHOUSE_SIGNING_ALGORITHM", "HS256"}}, "signing_algorithm");
  ExpectError({{"GATEHOUSE_MASTER_KEY", "a"}, {"GATEHOUSE_MASTER_KEY_FILE", "b"}}, "not both");
  ExpectError({{"GATEHOUSE_CIMD_ALLOW_LOOPBACK", "true"},
               {"GATEHOUSE_ENVIRONMENT", "live"},
               {"GATEHOUSE_ISSUER", "https://id.example.com"}},
              "cimd_allow_loopback");
}

TEST(ConfigTest, UnknownFileKeyAndSyntaxErrorsAreReported) {
  const std::string typo = WriteTemp("isuer = \"https://x\"\n");
  EXPECT_THROW(LoadConfig(typo, Env({})), ConfigError);
  const std::string broken = WriteTemp("issuer = \n");
  try {
    LoadConfig(broken, Env({}));
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(broken + ":1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(LoadConfig("/nonexistent/gatehouse.toml", Env({})), ConfigError);
  std::remove(typo.c_str());
  std::remove(broken.c_str());
}

// The message of the ConfigError LoadConfig throws; empty (and a test failure) when it throws none.
std::string ErrorOf(const std::optional<std::string>& file, const EnvLookup& env) {
  try {
    LoadConfig(file, env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "LoadConfig accepted the configuration";
  return "";
}

TEST(ConfigTest, UnknownGatehouseVariablesAreRefusedWithTheNearestKey) {
  EXPECT_EQ(ErrorOf(std::nullopt, Env({{"GATEHOUSE_LISTN", "127.0.0.1:9000"}})),
            "unknown environment variable GATEHOUSE_LISTN (did you mean 'GATEHOUSE_LISTEN'?)");
  EXPECT_EQ(ErrorOf(std::nullopt, Env({{"GATEHOUSE_ACCESS_TOKEN_TTL", "900"}})),
            "unknown environment variable GATEHOUSE_ACCESS_TOKEN_TTL (did you mean "
            "'GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS'?)");
  // Nothing near enough: the variable alone.
  EXPECT_EQ(ErrorOf(std::nullopt, Env({{"GATEHOUSE_COMPLETELY_DIFFERENT_THING", "1"}})),
            "unknown environment variable GATEHOUSE_COMPLETELY_DIFFERENT_THING");
  // Set but empty is still a misspelling.
  EXPECT_NE(ErrorOf(std::nullopt, Env({{"GATEHOUSE_ISUER", ""}})).find("GATEHOUSE_ISSUER"),
            std::string::npos);
}

TEST(ConfigTest, OtherVariablesAndTheTestToolingOnesAreNotConfiguration) {
  const Config c = LoadConfig(std::nullopt, Env({{"GATEHOUSE_BIN", "/x/gatehouse"},
                                                 {"GATEHOUSE_REQUIRE_POSTGRES", "1"},
                                                 {"GATEHOUSE_TEST_POSTGRES_URL", "postgres://x"},
                                                 {"GATEHOUSELISTEN", "x"},
                                                 {"HOME", "/root"},
                                                 {"GATEHOUSE_LISTEN", "127.0.0.1:9000"}}));
  EXPECT_EQ(c.listen_port, 9000);
}

TEST(ConfigTest, UnknownFileKeysNameTheNearestKey) {
  const std::string typo = WriteTemp("isuer = \"https://x\"\n");
  EXPECT_EQ(ErrorOf(typo, Env({})), typo + ": unknown key 'isuer' (did you mean 'issuer'?)");
  std::remove(typo.c_str());
}

TEST(ConfigTest, AnSqliteDatabaseInAMissingDirectoryIsRefused) {
  EXPECT_EQ(ErrorOf(std::nullopt,
                    Env({{"GATEHOUSE_DATABASE_URL", "sqlite:///nonexistent-gatehouse-dir/g.db"}})),
            "database_url: the directory /nonexistent-gatehouse-dir does not exist (create it, or "
            "point database_url elsewhere)");
  // A file in the working directory, or in one that exists, is fine.
  EXPECT_NO_THROW(LoadConfig(std::nullopt, Env({{"GATEHOUSE_DATABASE_URL", "sqlite://g.db"}})));
  EXPECT_NO_THROW(
      LoadConfig(std::nullopt, Env({{"GATEHOUSE_DATABASE_URL", "sqlite:///tmp/g.db"}})));
}

}  // namespace
}  // namespace gatehouse::app
