#include "core/resource_indicator.h"

#include <algorithm>
#include <optional>

#include "core/uri_components.h"

namespace gatehouse::core {

Result<std::vector<std::string>> ValidateResources(const std::vector<std::string_view>& values) {
  std::vector<std::string> resources;
  resources.reserve(values.size());
  for (std::string_view value : values) {
    const std::optional<UriComponents> parsed = ParseUriComponents(value);
    if (!parsed) return Error(ErrorCode::kInvalidTarget, "resource must be an absolute URI");
    if (parsed->fragment) {
      return Error(ErrorCode::kInvalidTarget, "resource must not contain a fragment");
    }
    // Requests carry few resources; a linear scan beats a hash set at this size.
    if (std::find(resources.begin(), resources.end(), value) == resources.end()) {
      resources.emplace_back(value);
    }
  }
  return resources;
}

}  // namespace gatehouse::core
