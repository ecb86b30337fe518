#include "app/doctor.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gatehouse::app {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kDay = 24 * 3600;

// A live deployment that passes every check.
Config GoodConfig() {
  Config c;
  c.issuer = "https://id.example.com";
  c.live = true;
  c.listen = "127.0.0.1:8080";
  c.listen_host = "127.0.0.1";
  c.database_url = "postgres://gatehouse@db/gatehouse";
  c.master_key_file = "/etc/gatehouse/master.key";
  return c;
}

DoctorFacts GoodFacts() {
  DoctorFacts f;
  f.now = kNow;
  f.master_key_file = "/etc/gatehouse/master.key";
  f.master_key_file_mode = 0100600;
  f.current_key_activated_at = kNow - 3 * kDay;
  f.clients_examined = 4;
  return f;
}

DoctorCheck Check(const std::vector<DoctorCheck>& checks, std::string_view id) {
  for (const DoctorCheck& check : checks) {
    if (check.id == id) return check;
  }
  throw std::logic_error("no check " + std::string(id));
}

CheckStatus StatusOf(const Config& c, const DoctorFacts& f, std::string_view id) {
  return Check(Examine(c, f), id).status;
}

TEST(DoctorTest, AGoodLiveDeploymentPassesEveryCheck) {
  const std::vector<DoctorCheck> checks = Examine(GoodConfig(), GoodFacts());
  EXPECT_EQ(checks.size(), 13u);
  for (const DoctorCheck& check : checks) {
    EXPECT_EQ(check.status, CheckStatus::kPass) << check.id << ": " << check.finding;
    EXPECT_TRUE(check.fix.empty()) << check.id;
  }
  EXPECT_TRUE(DoctorPassed(checks));
}

TEST(DoctorTest, IssuerAndEnvironment) {
  Config c = GoodConfig();
  c.live = false;
  c.issuer = "http://id.example.com";
  EXPECT_EQ(StatusOf(c, GoodFacts(), "issuer.https"), CheckStatus::kWarn);
  EXPECT_EQ(StatusOf(c, GoodFacts(), "environment"), CheckStatus::kFail);
  c.issuer = "http://127.0.0.1:8080";
  EXPECT_EQ(StatusOf(c, GoodFacts(), "issuer.https"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(c, GoodFacts(), "environment"), CheckStatus::kPass);
  c.live = true;  // LoadConfig refuses this; the doctor still says so
  EXPECT_EQ(StatusOf(c, GoodFacts(), "issuer.https"), CheckStatus::kFail);
}

TEST(DoctorTest, RegistrationWithoutLimits) {
  Config c = GoodConfig();
  c.registration_limit_per_address_per_minute = 0;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "registration.limits"), CheckStatus::kWarn);
  c.max_dynamic_clients = 0;
  const DoctorCheck check = Check(Examine(c, GoodFacts()), "registration.limits");
  EXPECT_EQ(check.status, CheckStatus::kFail);
  EXPECT_NE(check.fix.find("max_dynamic_clients"), std::string::npos);
  c.dynamic_registration = false;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "registration.limits"), CheckStatus::kPass);
}

TEST(DoctorTest, McpClientsNeedAWayToRegister) {
  Config c = GoodConfig();
  c.dynamic_registration = false;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "mcp.registration"), CheckStatus::kPass);  // CIMD
  c.cimd = false;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "mcp.registration"), CheckStatus::kWarn);
}

TEST(DoctorTest, RefreshGraceWindow) {
  Config c = GoodConfig();
  c.refresh_grace_seconds = 0;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "refresh.grace"), CheckStatus::kPass);
  c.refresh_grace_seconds = 61;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "refresh.grace"), CheckStatus::kWarn);
}

TEST(DoctorTest, KeyRotation) {
  Config c = GoodConfig();
  DoctorFacts f = GoodFacts();
  f.current_key_activated_at = kNow - 40 * kDay;  // rotation every 30 days
  const DoctorCheck overdue = Check(Examine(c, f), "keys.rotation");
  EXPECT_EQ(overdue.status, CheckStatus::kWarn);
  EXPECT_NE(overdue.finding.find("40 days old"), std::string::npos) << overdue.finding;
  f.current_key_activated_at.reset();
  EXPECT_EQ(StatusOf(c, f, "keys.rotation"), CheckStatus::kPass);
  c.key_rotation_days = 0;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "keys.rotation"), CheckStatus::kWarn);
}

TEST(DoctorTest, MasterKeyStorage) {
  Config c = GoodConfig();
  DoctorFacts f = GoodFacts();
  f.master_key_file_mode = 0100644;
  const DoctorCheck readable = Check(Examine(c, f), "master_key.storage");
  EXPECT_EQ(readable.status, CheckStatus::kFail);
  EXPECT_NE(readable.finding.find("mode 0644"), std::string::npos) << readable.finding;
  EXPECT_EQ(readable.fix, "chmod 600 /etc/gatehouse/master.key");
  f.master_key_file_mode.reset();
  EXPECT_EQ(StatusOf(c, f, "master_key.storage"), CheckStatus::kFail);  // configured, missing
  c.master_key_file.reset();
  f.master_key_file.reset();
  EXPECT_EQ(StatusOf(c, f, "master_key.storage"), CheckStatus::kFail);  // PostgreSQL, no key
  c.master_key = std::string(64, 'a');
  EXPECT_EQ(StatusOf(c, f, "master_key.storage"), CheckStatus::kWarn);
}

TEST(DoctorTest, MetricsOnAPublicListener) {
  Config c = GoodConfig();
  c.listen = "0.0.0.0:8080";
  c.listen_host = "0.0.0.0";
  EXPECT_EQ(StatusOf(c, GoodFacts(), "metrics.exposure"), CheckStatus::kWarn);
}

TEST(DoctorTest, CimdFromLoopback) {
  Config c = GoodConfig();
  c.live = false;
  c.issuer = "http://127.0.0.1:8080";
  c.cimd_allow_loopback = true;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "cimd.loopback"), CheckStatus::kFail);
  c.cimd = false;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "cimd.loopback"), CheckStatus::kPass);
}

TEST(DoctorTest, TokenLifetimes) {
  Config c = GoodConfig();
  c.access_token_ttl_seconds = 7200;
  c.refresh_token_ttl_seconds = 180 * kDay;
  EXPECT_EQ(StatusOf(c, GoodFacts(), "tokens.access_ttl"), CheckStatus::kWarn);
  EXPECT_EQ(StatusOf(c, GoodFacts(), "tokens.refresh_ttl"), CheckStatus::kWarn);
}

TEST(DoctorTest, Database) {
  DoctorFacts f = GoodFacts();
  f.pending_migrations = 2;
  EXPECT_EQ(StatusOf(GoodConfig(), f, "database"), CheckStatus::kFail);
  f.pending_migrations = 0;
  f.database_error = "connection refused";
  EXPECT_EQ(StatusOf(GoodConfig(), f, "database"), CheckStatus::kFail);
  f.database_error.reset();
  f.database_absent = true;
  EXPECT_EQ(StatusOf(GoodConfig(), f, "database"), CheckStatus::kPass);
}

TEST(DoctorTest, HttpRedirectUrisFailOnlyInLive) {
  DoctorFacts f = GoodFacts();
  f.clients_with_http_redirects = {"connected-app-test-1"};
  const DoctorCheck live = Check(Examine(GoodConfig(), f), "clients.redirect_uris");
  EXPECT_EQ(live.status, CheckStatus::kFail);
  EXPECT_NE(live.finding.find("connected-app-test-1"), std::string::npos);
  Config test = GoodConfig();
  test.live = false;
  test.issuer = "http://127.0.0.1:8080";
  EXPECT_EQ(StatusOf(test, f, "clients.redirect_uris"), CheckStatus::kPass);
}

TEST(DoctorTest, ReportLinesAndJson) {
  DoctorFacts f = GoodFacts();
  f.master_key_file_mode = 0100640;
  const std::vector<DoctorCheck> checks = Examine(GoodConfig(), f);
  EXPECT_FALSE(DoctorPassed(checks));
  std::ostringstream text;
  PrintDoctorReport(text, checks, false);
  EXPECT_NE(text.str().find("FAIL  master_key.storage  "), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("      fix: chmod 600 /etc/gatehouse/master.key\n"), std::string::npos);
  EXPECT_NE(text.str().find("12 passed, 0 warnings, 1 failed\n"), std::string::npos) << text.str();
  std::ostringstream json;
  PrintDoctorReport(json, checks, true);
  EXPECT_NE(json.str().find("\"fail\":1"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("{\"id\":\"master_key.storage\",\"status\":\"fail\""),
            std::string::npos);
}

}  // namespace
}  // namespace gatehouse::app
