#include "core/claims_template.h"

#include <array>

#include <boost/json.hpp>

namespace gatehouse::core {
namespace json = boost::json;
namespace {

// The JWT, OAuth and OpenID Connect claims Gatehouse sets (or may set) in its access and ID tokens.
constexpr std::array<std::string_view, 25> kReserved = {"iss",
                                                        "sub",
                                                        "aud",
                                                        "exp",
                                                        "nbf",
                                                        "iat",
                                                        "jti",
                                                        "client_id",
                                                        "scope",
                                                        "auth_time",
                                                        "gh_grant",
                                                        "organization",
                                                        "organization_id",
                                                        "azp",
                                                        "nonce",
                                                        "at_hash",
                                                        "c_hash",
                                                        "s_hash",
                                                        "sid",
                                                        "acr",
                                                        "amr",
                                                        "cnf",
                                                        "act",
                                                        "may_act",
                                                        "typ"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The value at a dotted path in `context`, or nullptr.
const json::value* Lookup(const json::object& context, std::string_view path) {
  const json::object* at = &context;
  const json::value* found = nullptr;
  while (true) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    found = at->if_contains(key);
    if (found == nullptr || dot == std::string_view::npos) return found;
    if (!found->is_object()) return nullptr;
    at = &found->as_object();
    path.remove_prefix(dot + 1);
  }
}

std::string Text(const json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

// Checks every placeholder of one string.
Result<void> CheckPlaceholders(std::string_view s) {
  size_t pos = 0;
  while ((pos = s.find("{{", pos)) != std::string_view::npos) {
    const size_t end = s.find("}}", pos + 2);
    if (end == std::string_view::npos) {
      return Error(ErrorCode::kBadRequest, "a template placeholder is missing its closing }}");
    }
    const std::string_view path = Trim(s.substr(pos + 2, end - pos - 2));
    if (!path.starts_with("user.") && !path.starts_with("organization.") &&
        !path.starts_with("client.")) {
      return Error(ErrorCode::kBadRequest, "template placeholder {{ " + std::string(path) +
                                               " }} must start with user., organization. or "
                                               "client.");
    }
    pos = end + 2;
  }
  return {};
}

Result<void> CheckValue(const json::value& v) {
  if (v.is_string()) return CheckPlaceholders(v.as_string());
  if (v.is_array()) {
    for (const auto& item : v.as_array()) {
      if (auto ok = CheckValue(item); !ok) return ok;
    }
  }
  if (v.is_object()) {
    for (const auto& member : v.as_object()) {
      if (auto ok = CheckValue(member.value()); !ok) return ok;
    }
  }
  return {};
}

json::value RenderValue(const json::value& v, const json::object& context) {
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.as_array()) out.push_back(RenderValue(item, context));
    return out;
  }
  if (v.is_object()) return RenderClaimsTemplate(v.as_object(), context);
  if (!v.is_string()) return v;
  const std::string_view s = v.as_string();
  // Exactly one placeholder: keep the value's type.
  if (s.starts_with("{{") && s.ends_with("}}") && s.find("{{", 2) == std::string_view::npos) {
    const json::value* found = Lookup(context, Trim(s.substr(2, s.size() - 4)));
    return found != nullptr ? *found : json::value(nullptr);
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = s.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : s.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out += s.substr(pos);
      break;
    }
    out += s.substr(pos, open - pos);
    out += Text(Lookup(context, Trim(s.substr(open + 2, close - open - 2))));
    pos = close + 2;
  }
  return json::string(out);
}

}  // namespace

bool IsReservedClaim(std::string_view name) {
  for (std::string_view r : kReserved) {
    if (r == name) return true;
  }
  return false;
}

Result<json::object> ParseClaimsTemplate(std::string_view text) {
  if (text.size() > kMaxClaimsTemplateBytes) {
    return Error(ErrorCode::kBadRequest, "the claims template must be at most 4096 bytes");
  }
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Error(ErrorCode::kBadRequest, "the claims template must be a JSON object");
  }
  for (const auto& member : v.as_object()) {
    if (IsReservedClaim(member.key())) {
      return Error(ErrorCode::kBadRequest, "the claims template must not set the reserved claim " +
                                               std::string(member.key()));
    }
  }
  if (auto ok = CheckValue(v); !ok) return ok.error();
  return std::move(v.as_object());
}

json::object RenderClaimsTemplate(const json::object& template_object,
                                  const json::object& context) {
  json::object out;
  for (const auto& member : template_object) {
    out[member.key()] = RenderValue(member.value(), context);
  }
  return out;
}

void MergeClaims(json::object& claims, const json::object& rendered) {
  for (const auto& member : rendered) {
    if (IsReservedClaim(member.key()) || claims.contains(member.key())) continue;
    claims[member.key()] = member.value();
  }
}

}  // namespace gatehouse::core
