#include "http/json_body.h"

#include <cmath>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gatehouse::http {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

class BodyCheck {
 public:
  explicit BodyCheck(const JsonLimits& limits) : limits_(limits) {}

  // The first problem in `v` (the value of member `name`), or an empty string.
  std::string Problem(const json::value& v, std::string_view name) const {
    const JsonFieldLimit* limit = Find(name);
    switch (v.kind()) {
      case json::kind::double_:
        return std::isfinite(v.get_double()) ? "" : std::string(name) + " is out of range";
      case json::kind::string: {
        const std::string_view s = v.get_string();
        if (s.find('\0') != std::string_view::npos) {
          return std::string(name) + " has a NUL character";
        }
        const size_t max = limit && limit->max_bytes ? limit->max_bytes : limits_.string_bytes;
        if (s.size() > max) {
          return std::string(name) + " is longer than " + std::to_string(max) + " bytes";
        }
        return "";
      }
      case json::kind::array: {
        const size_t max = limit && limit->max_items ? limit->max_items : limits_.array_items;
        if (v.get_array().size() > max) {
          return std::string(name) + " has more than " + std::to_string(max) + " items";
        }
        for (const json::value& item : v.get_array()) {
          if (std::string p = Problem(item, name); !p.empty()) return p;
        }
        return "";
      }
      case json::kind::object: {
        if (limit && limit->max_bytes) {
          if (json::serialize(v).size() > limit->max_bytes) {
            return std::string(name) + " is larger than " + std::to_string(limit->max_bytes) +
                   " bytes";
          }
          // Still no NUL and no infinity anywhere inside.
          return Plain(v, name);
        }
        return Members(v.get_object());
      }
      default:
        return "";
    }
  }

  std::string Members(const json::object& o) const {
    if (o.size() > limits_.object_members) {
      return "an object has more than " + std::to_string(limits_.object_members) + " members";
    }
    for (const auto& member : o) {
      if (member.key().find('\0') != std::string_view::npos) {
        return "a member name has a NUL character";
      }
      if (member.key().size() > limits_.string_bytes) return "a member name is too long";
      if (std::string p = Problem(member.value(), member.key()); !p.empty()) return p;
    }
    return "";
  }

 private:
  // NUL and range checks only (inside an object measured as a whole).
  std::string Plain(const json::value& v, std::string_view name) const {
    if (v.is_double() && !std::isfinite(v.get_double()))
      return std::string(name) + " is out of range";
    if (v.is_string() && std::string_view(v.get_string()).find('\0') != std::string_view::npos) {
      return std::string(name) + " has a NUL character";
    }
    if (v.is_array()) {
      for (const json::value& item : v.get_array()) {
        if (std::string p = Plain(item, name); !p.empty()) return p;
      }
    }
    if (v.is_object()) {
      for (const auto& member : v.get_object()) {
        if (member.key().find('\0') != std::string_view::npos) {
          return std::string(name) + " has a NUL character";
        }
        if (std::string p = Plain(member.value(), name); !p.empty()) return p;
      }
    }
    return "";
  }

  const JsonFieldLimit* Find(std::string_view name) const {
    for (const JsonFieldLimit& f : limits_.fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }

  const JsonLimits& limits_;
};

}  // namespace

core::Result<json::object> ParseJsonObjectBody(std::string_view body, const JsonLimits& limits) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Error(ErrorCode::kBadRequest, "request body is not valid JSON");
  if (!v.is_object()) return Error(ErrorCode::kBadRequest, "request body must be a JSON object");
  if (std::string problem = BodyCheck(limits).Members(v.get_object()); !problem.empty()) {
    return Error(ErrorCode::kBadRequest, problem);
  }
  return std::move(v.as_object());
}

}  // namespace gatehouse::http
