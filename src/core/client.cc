#include "core/client.h"

#include <array>
#include <utility>

namespace gatehouse::core {
namespace {

// One table per enum keeps the name and the parse direction in agreement.
template <class Enum, size_t N>
std::optional<Enum> ParseByName(const std::array<std::pair<Enum, std::string_view>, N>& table,
                                std::string_view name) {
  for (const auto& [value, wire_name] : table) {
    if (wire_name == name) return value;
  }
  return std::nullopt;
}

template <class Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, wire_name] : table) {
    if (candidate == value) return wire_name;
  }
  return {};
}

constexpr std::array<std::pair<ClientType, std::string_view>, 4> kClientTypeNames{{
    {ClientType::kFirstParty, "first_party"},
    {ClientType::kFirstPartyPublic, "first_party_public"},
    {ClientType::kThirdParty, "third_party"},
    {ClientType::kThirdPartyPublic, "third_party_public"},
}};

constexpr std::array<std::pair<CreationMethod, std::string_view>, 3> kCreationMethodNames{{
    {CreationMethod::kApi, "api"},
    {CreationMethod::kDynamicRegistration, "dynamic_registration"},
    {CreationMethod::kClientIdMetadataDocument, "client_id_metadata_document"},
}};

constexpr std::array<std::pair<Environment, std::string_view>, 2> kEnvironmentNames{{
    {Environment::kTest, "test"},
    {Environment::kLive, "live"},
}};

constexpr std::array<std::pair<ApplicationType, std::string_view>, 2> kApplicationTypeNames{{
    {ApplicationType::kWeb, "web"},
    {ApplicationType::kNative, "native"},
}};

constexpr std::array<std::pair<ClientStatus, std::string_view>, 2> kClientStatusNames{{
    {ClientStatus::kActive, "active"},
    {ClientStatus::kDisabled, "disabled"},
}};

}  // namespace

std::string_view ClientTypeName(ClientType type) { return NameOf(kClientTypeNames, type); }
std::optional<ClientType> ParseClientType(std::string_view name) {
  return ParseByName(kClientTypeNames, name);
}

bool IsPublic(ClientType type) {
  return type == ClientType::kFirstPartyPublic || type == ClientType::kThirdPartyPublic;
}

bool IsFirstParty(ClientType type) {
  return type == ClientType::kFirstParty || type == ClientType::kFirstPartyPublic;
}

std::string_view CreationMethodName(CreationMethod method) {
  return NameOf(kCreationMethodNames, method);
}
std::optional<CreationMethod> ParseCreationMethod(std::string_view name) {
  return ParseByName(kCreationMethodNames, name);
}

std::string_view EnvironmentName(Environment environment) {
  return NameOf(kEnvironmentNames, environment);
}
std::optional<Environment> ParseEnvironment(std::string_view name) {
  return ParseByName(kEnvironmentNames, name);
}

std::string_view ApplicationTypeName(ApplicationType type) {
  return NameOf(kApplicationTypeNames, type);
}
std::optional<ApplicationType> ParseApplicationType(std::string_view name) {
  return ParseByName(kApplicationTypeNames, name);
}

std::string_view ClientStatusName(ClientStatus status) {
  return NameOf(kClientStatusNames, status);
}
std::optional<ClientStatus> ParseClientStatus(std::string_view name) {
  return ParseByName(kClientStatusNames, name);
}

std::string TokenEndpointAuthMethod(const Client& client) {
  return IsPublic(client.client_type) ? "none" : "client_secret_basic";
}

}  // namespace gatehouse::core
