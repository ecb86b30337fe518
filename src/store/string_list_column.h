#pragma once
// Lists of strings (redirect URIs, roles, allowed client ids) stored in one TEXT column as a JSON
// array, the portable form both engines hold. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::store {

std::string EncodeStringList(const std::vector<std::string>& items);

// The strings of a JSON array (non-string members are skipped); nullopt when `text` is not a JSON
// array, so each repository decides whether a malformed row is an error.
std::optional<std::vector<std::string>> DecodeStringList(std::string_view text);

}  // namespace gatehouse::store
