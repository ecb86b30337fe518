// Store contract for claims templates on both engines: a client's id_token_template_content (the
// column migration 0007 adds) survives insert, read, metadata update and search, and the project's
// dynamic client settings are stored, replaced and announced through their cache version.

#include <string>

#include "store/cache_version_repository.h"
#include "store/client_repository.h"
#include "store/dynamic_client_settings_repository.h"
#include "store/project_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

constexpr std::string_view kProject = "project-test-1";

class ClaimsTemplatesStoreTest : public ::gatehouse::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(ProjectRepository(db()).CreateIfAbsent(
        ProjectRecord{std::string(kProject), "hash", 1'700'000'000}));
  }

  int64_t Version(std::string_view cache) {
    for (const auto& [name, v] : CacheVersionRepository(db()).ReadAll()) {
      if (name == cache) return v;
    }
    return 0;
  }
};

core::Client Templated(std::string id) {
  return core::Client{.client_id = std::move(id),
                      .client_type = core::ClientType::kThirdPartyPublic,
                      .client_name = "Templated",
                      .redirect_uris = {"http://127.0.0.1/cb"},
                      .access_token_template_content = R"({"tier":"gold"})",
                      .id_token_template_content = R"({"team":"{{ user.email }}"})",
                      .created_at = 1,
                      .updated_at = 1};
}

TEST_P(ClaimsTemplatesStoreTest, ClientIdTokenTemplateRoundTrips) {
  ClientRepository clients(db());
  clients.Insert(Templated("a"));
  EXPECT_EQ(clients.Find("a"), Templated("a"));
  EXPECT_EQ(clients.Search(std::nullopt, 10).clients.at(0).id_token_template_content,
            R"({"team":"{{ user.email }}"})");

  core::Client changed = Templated("a");
  changed.id_token_template_content = R"({"team":"x"})";
  ASSERT_TRUE(clients.UpdateMetadata(changed));
  EXPECT_EQ(clients.Find("a")->id_token_template_content, R"({"team":"x"})");
  EXPECT_EQ(clients.Find("a")->access_token_template_content, R"({"tier":"gold"})");

  changed.id_token_template_content.reset();
  ASSERT_TRUE(clients.UpdateMetadata(changed));
  EXPECT_EQ(clients.Find("a")->id_token_template_content, std::nullopt);

  // A client without templates reads back without them.
  core::Client plain = Templated("b");
  plain.access_token_template_content.reset();
  plain.id_token_template_content.reset();
  clients.Insert(plain);
  EXPECT_EQ(clients.Find("b"), plain);
}

TEST_P(ClaimsTemplatesStoreTest, DynamicClientSettingsAreStoredReplacedAndAnnounced) {
  DynamicClientSettingsRepository settings(db());
  EXPECT_EQ(settings.Get(kProject), std::nullopt);
  const int64_t before = Version(kDynamicClientSettingsCacheName);

  const DynamicClientSettings first{.access_token_template_content = R"({"tier":"agent"})",
                                    .id_token_template_content = std::nullopt,
                                    .updated_at = 10};
  settings.Put(kProject, first);
  EXPECT_EQ(settings.Get(kProject), first);
  EXPECT_EQ(Version(kDynamicClientSettingsCacheName), before + 1);

  const DynamicClientSettings second{.access_token_template_content = std::nullopt,
                                     .id_token_template_content = R"({"team":"a"})",
                                     .updated_at = 20};
  settings.Put(kProject, second);
  EXPECT_EQ(settings.Get(kProject), second);
  EXPECT_EQ(Version(kDynamicClientSettingsCacheName), before + 2);

  // Settings belong to a project: another id has none, and cannot be written for a project that
  // does not exist.
  EXPECT_EQ(settings.Get("project-test-other"), std::nullopt);
  EXPECT_THROW(settings.Put("project-test-other", first), DatabaseError);
  EXPECT_EQ(Version(kDynamicClientSettingsCacheName), before + 2);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(ClaimsTemplatesStoreTest);

}  // namespace
}  // namespace gatehouse::store
